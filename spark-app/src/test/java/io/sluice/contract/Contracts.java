package io.sluice.contract;

import java.nio.file.Path;

/** Where the checked-in contracts are, for tests. */
public final class Contracts
{
    private Contracts() {}

    public static Path directory()
    {
        return Path.of(System.getProperty("sluice.home", "..")).resolve("contracts");
    }

    public static ContractRegistry registry()
    {
        return new ContractLoader().loadDirectory(directory());
    }
}
