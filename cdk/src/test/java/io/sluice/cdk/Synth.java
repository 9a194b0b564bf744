package io.sluice.cdk;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Template;

/** A synthesized Sluice stack for assertions: the app's own wiring, with the AwsSolutions pack applied. */
record Synth(SluiceStack stack, Template template, Annotations annotations)
{

    static Synth dev()
    {
        return of(Map.of("env", "dev"));
    }

    static Synth prod()
    {
        return of(Map.of("env", "prod"));
    }

    /** Same path as {@link SluiceApp#main}: settings from context, then the stack, then the nag pack. */
    /** With the repository's contracts, as {@code cdk synth} would. */
    static Synth of(Map<String, Object> context)
    {
        return of(context, null);
    }

    static Synth of(Map<String, Object> context, CatalogModel explicitModel)
    {
        App app = SluiceApp.newApp(context);
        CatalogModel model = explicitModel != null ? explicitModel : SluiceApp.catalogModel(app);
        // As SluiceApp names the Glue jar, but never from a jar some earlier build left behind.
        SluiceSettings settings = new ContextSettings(app.getNode()).builder()
                .glueJarName(SluiceApp.glueJarName(System.getProperty(SluiceApp.VERSION_PROPERTY), java.util.Optional.empty()))
                .build();
        SluiceStack stack = new SluiceStack(app, SluiceApp.stackName(settings), SluiceApp.stackProps(app, settings),
                settings, model);
        Aspects.of(app).add(new AwsSolutionsChecks());
        Template template = Template.fromStack(stack);
        return new Synth(stack, template, Annotations.fromStack(stack));
    }

    Map<String, Map<String, Object>> resources(String type)
    {
        return template.findResources(type);
    }
}
