// The script AWS Glue 6.0 compiles for the Sluice jobs (backfill, replay, maintain).
// Glue runs JVM jobs as Scala jobs: it compiles this file against --extra-jars (the application jar) and
// calls --class, which is this object. All work happens in io.sluice.glue.GlueEntryPoint; Glue passes the
// job's arguments, among them --command backfill|replay|maintain, as "--key value" pairs.
// Upload to s3://<ArtifactsBucketName>/glue/SluiceGlueLauncher.scala (see docs/deploy.md).
object SluiceGlueLauncher {
  def main(args: Array[String]): Unit = io.sluice.glue.GlueEntryPoint.main(args)
}
