package io.sluice.contract;

import java.util.Arrays;
import java.util.Optional;

/** The JSON Schema {@code type} values a contract may use; {@code null} is deliberately absent (absent means null). */
public enum JsonType
{
    OBJECT("object"),
    ARRAY("array"),
    STRING("string"),
    INTEGER("integer"),
    NUMBER("number"),
    BOOLEAN("boolean");

    private final String jsonName;

    JsonType(String jsonName)
    {
        this.jsonName = jsonName;
    }

    public String jsonName()
    {
        return jsonName;
    }

    public static Optional<JsonType> fromJsonName(String name)
    {
        return Arrays.stream(values()).filter(type -> type.jsonName.equals(name)).findFirst();
    }
}
