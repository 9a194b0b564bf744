package io.sluice.config;

/**
 * An error Sluice raised on purpose, with a message written for people ("Cannot X: why", "Invalid X: value") and a
 * kind the command line maps to its exit code. Implemented by {@link UsageException} (and so
 * {@link InvalidConfigurationException}) and by {@code io.sluice.contract.ContractException}.
 */
public interface SluiceError
{
    ErrorKind kind();
}
