package io.sluice.pipeline;

/** Why a record was quarantined: the {@code rule} of each entry in a quarantine row's {@code reasons}. */
public enum QuarantineReason
{
    // The payload as a whole
    MALFORMED_JSON,
    INVALID_UTF8,
    OVERSIZED,
    TOO_DEEPLY_NESTED,
    NOT_AN_OBJECT,
    // I-JSON (RFC 7493): payloads that another conforming JSON parser could read differently
    /** An object, at any depth, names a member twice: parsers disagree on which value counts. */
    DUPLICATE_MEMBER,
    /** Something other than whitespace follows the top-level object: parsers disagree on whether it is ignored. */
    TRAILING_CONTENT,
    /** A string holds an unpaired surrogate escape (backslash-uD800): parsers replace, keep or reject it. */
    INVALID_UNICODE,
    // Envelope
    INVALID_ENVELOPE_FIELD,
    UNKNOWN_CONTRACT,
    UNKNOWN_CONTRACT_VERSION,
    TYPE_NOT_IN_CONTRACT,
    // Envelope or data, per JSON Schema keyword
    MISSING_REQUIRED_FIELD,
    WRONG_TYPE,
    ENUM,
    MINIMUM,
    MAXIMUM,
    MIN_LENGTH,
    MAX_LENGTH,
    PATTERN,
    FORMAT,
    MIN_ITEMS,
    MAX_ITEMS,
    ADDITIONAL_PROPERTY,
    /** Reserved for the dedup stage: an event older than the watermark. Never produced by enforcement. */
    LATE,
}
