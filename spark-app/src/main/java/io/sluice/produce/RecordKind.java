package io.sluice.produce;

/**
 * What the generator meant a record to be, so tests and the demo can check where each one should land.
 * Valid kinds land in silver once; DUPLICATE is dropped by dedup; the invalid kinds land in quarantine.
 */
public enum RecordKind
{
    VALID(Fate.SILVER),
    OUT_OF_ORDER(Fate.SILVER),
    LATE(Fate.SILVER),
    DUPLICATE(Fate.DUPLICATE),
    MALFORMED_JSON(Fate.QUARANTINE),
    MISSING_REQUIRED_FIELD(Fate.QUARANTINE),
    WRONG_TYPE(Fate.QUARANTINE),
    UNKNOWN_TYPE(Fate.QUARANTINE),
    UNKNOWN_CONTRACT_VERSION(Fate.QUARANTINE),
    OVERSIZED(Fate.QUARANTINE);

    /** Where a record of this kind ends up under the default late policy (merge). */
    public enum Fate
    {
        SILVER,
        DUPLICATE,
        QUARANTINE
    }

    private final Fate fate;

    RecordKind(Fate fate)
    {
        this.fate = fate;
    }

    public Fate fate()
    {
        return fate;
    }
}
