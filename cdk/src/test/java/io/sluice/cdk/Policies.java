package io.sluice.cdk;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Reads IAM policy statements out of a synthesized template, whatever resource holds them. */
final class Policies
{

    /** One statement with where it came from, its actions and its resources rendered as text. */
    record Statement(String holder, String sid, String effect, List<String> actions, List<String> resources,
                     Map<String, Object> raw)
                     {
        boolean allows()
        {
            return "Allow".equals(effect);
        }

        boolean hasCondition()
        {
            return raw.containsKey("Condition");
        }
    }

    private Policies() {}

    /**
     * Every statement of every identity and resource policy in the template: role inline policies,
     * AWS::IAM::Policy/ManagedPolicy, bucket, topic, key and VPC endpoint policies. Trust policies are left out (their
     * resource is the role itself), and so is nothing else.
     */
    static List<Statement> all(Synth synth)
    {
        List<Statement> out = new ArrayList<>();
        synth.resources("AWS::IAM::Role").forEach((id, r) -> {
            for (Object policy : list(props(r).get("Policies"))) {
                Map<String, Object> p = map(policy);
                add(out, id + "/" + p.get("PolicyName"), map(p.get("PolicyDocument")));
            }
        });
        for (String type : List.of("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::S3::BucketPolicy",
                "AWS::SNS::TopicPolicy")) {
            synth.resources(type).forEach((id, r) -> add(out, id, map(props(r).get("PolicyDocument"))));
        }
        synth.resources("AWS::KMS::Key").forEach((id, r) -> add(out, id, map(props(r).get("KeyPolicy"))));
        synth.resources("AWS::EC2::VPCEndpoint").forEach((id, r) -> add(out, id, map(props(r).get("PolicyDocument"))));
        return out;
    }

    /** Identity policies only: what the job roles may do. */
    static List<Statement> ofRole(Synth synth, String roleLogicalIdPrefix)
    {
        return all(synth).stream().filter(s -> s.holder().startsWith(roleLogicalIdPrefix)).toList();
    }

    private static void add(List<Statement> out, String holder, Map<String, Object> document)
    {
        for (Object s : list(document.get("Statement"))) {
            Map<String, Object> statement = map(s);
            out.add(new Statement(holder, String.valueOf(statement.get("Sid")), String.valueOf(statement.get("Effect")),
                    list(statement.get("Action")).stream().map(String::valueOf).toList(),
                    list(statement.get("Resource")).stream().map(Policies::render).toList(),
                    statement));
        }
    }

    /** A resource as text: {@code Fn::Join} joined, {@code Ref} as {@code <Id>}, {@code Fn::GetAtt} as {@code <Id.Attr>}. */
    static String render(Object value)
    {
        if (value instanceof String s) {
            return s;
        }
        Map<String, Object> m = map(value);
        if (m.containsKey("Ref")) {
            return "<" + m.get("Ref") + ">";
        }
        if (m.containsKey("Fn::GetAtt")) {
            return "<" + list(m.get("Fn::GetAtt")).stream().map(String::valueOf).collect(Collectors.joining(".")) + ">";
        }
        if (m.containsKey("Fn::Join")) {
            List<Object> join = list(m.get("Fn::Join"));
            return list(join.get(1)).stream().map(Policies::render).collect(Collectors.joining(String.valueOf(join.get(0))));
        }
        return m.toString();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> props(Map<String, Object> resource)
    {
        return (Map<String, Object>) resource.getOrDefault("Properties", Map.of());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value)
    {
        return value == null ? Map.of() : (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value)
    {
        if (value == null) {
            return List.of();
        }
        return value instanceof List<?> l ? (List<Object>) l : List.of(value);
    }
}
