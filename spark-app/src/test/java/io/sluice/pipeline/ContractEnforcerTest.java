package io.sluice.pipeline;

import io.sluice.config.ErrorKind;
import io.sluice.contract.ContractException;
import io.sluice.contract.ContractLoader;
import io.sluice.contract.ContractRegistry;
import io.sluice.contract.Contracts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class ContractEnforcerTest
{
    @Test
    void aContractPropertyNamedLikeASilverColumnIsAContractError(@TempDir Path directory)
            throws IOException
    {
        Path contracts = copy(Contracts.directory(), directory.resolve("contracts"));
        Path point = contracts.resolve("tennis.point/v1.json");
        String original = Files.readString(point);
        String colliding = original.replace("\"match_id\": {", "\"event_date\": { \"type\": \"string\" },\n      \"match_id\": {");
        assertThat(colliding).as("the property was added").isNotEqualTo(original);
        Files.writeString(point, colliding);
        ContractRegistry registry = new ContractLoader().loadDirectory(contracts);

        assertThatThrownBy(() -> new ContractEnforcer(registry))
                .isInstanceOfSatisfying(ContractException.class, error -> assertThat(error.kind()).isEqualTo(ErrorKind.FAILURE))
                .hasMessage("Cannot use contract tennis.point/v1.json: property 'event_date' collides with a silver column");
    }

    private static Path copy(Path source, Path target)
            throws IOException
    {
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path destination = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(destination);
                }
                else {
                    Files.copy(file, destination);
                }
            }
        }
        return target;
    }
}
