package io.sluice.contract;

import io.sluice.config.UsageException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * The immutable set of known contracts, looked up by the {@code dataschema} URI events carry or by dataset and version.
 * Construction checks the set as a whole: one table per dataset, no table shared between datasets.
 */
public final class ContractRegistry
{
    private final Map<String, Contract> byDataschema;
    private final Map<String, NavigableMap<Integer, Contract>> byDataset;

    public ContractRegistry(Collection<Contract> contracts)
    {
        requireNonNull(contracts, "contracts is null");
        Map<String, NavigableMap<Integer, Contract>> datasets = new TreeMap<>();
        Map<String, String> datasetByTable = new TreeMap<>();
        for (Contract contract : contracts) {
            NavigableMap<Integer, Contract> versions = datasets.computeIfAbsent(contract.dataset(), ignored -> new TreeMap<>());
            Contract previous = versions.put(contract.version(), contract);
            if (previous != null) {
                throw ContractException.conflict("%s and %s both define %s version %d".formatted(previous.origin(), contract.origin(), contract.dataset(), contract.version()));
            }
            String owner = datasetByTable.putIfAbsent(contract.table(), contract.dataset());
            if (owner != null && !owner.equals(contract.dataset())) {
                throw ContractException.conflict("table %s is used by datasets %s and %s".formatted(contract.table(), owner, contract.dataset()));
            }
            Contract first = versions.firstEntry().getValue();
            if (!first.table().equals(contract.table())) {
                throw ContractException.conflict("%s writes table %s but %s writes %s: all versions of a dataset share one table"
                        .formatted(contract.origin(), contract.table(), first.origin(), first.table()));
            }
        }
        Map<String, Contract> uris = new LinkedHashMap<>();
        Map<String, NavigableMap<Integer, Contract>> frozen = new LinkedHashMap<>();
        datasets.forEach((dataset, versions) -> {
            versions.values().forEach(contract -> uris.put(contract.dataschema(), contract));
            frozen.put(dataset, Collections.unmodifiableNavigableMap(versions));
        });
        this.byDataschema = Collections.unmodifiableMap(uris);
        this.byDataset = Collections.unmodifiableMap(frozen);
    }

    public Optional<Contract> byDataschema(String dataschema)
    {
        return Optional.ofNullable(byDataschema.get(dataschema));
    }

    public Optional<Contract> contract(String dataset, int version)
    {
        return Optional.ofNullable(byDataset.getOrDefault(dataset, Collections.emptyNavigableMap()).get(version));
    }

    /** The newest version of a dataset, which defines its silver table's columns. */
    public Optional<Contract> latest(String dataset)
    {
        return Optional.ofNullable(byDataset.get(dataset)).map(versions -> versions.lastEntry().getValue());
    }

    /** All versions of a dataset, oldest first. */
    public List<Contract> versions(String dataset)
    {
        return List.copyOf(byDataset.getOrDefault(dataset, Collections.emptyNavigableMap()).values());
    }

    public List<String> datasets()
    {
        return List.copyOf(byDataset.keySet());
    }

    /** Refuses a name that is no dataset of this registry, naming the option it came from and the datasets there are. */
    public void checkDatasets(java.util.Collection<String> names, String option)
    {
        for (String name : names) {
            if (!byDataset.containsKey(name)) {
                throw new UsageException("Invalid %s: %s; known datasets: %s".formatted(option, name, String.join(", ", byDataset.keySet())));
            }
        }
    }

    /** Every contract, ordered by dataset then version. */
    public List<Contract> contracts()
    {
        return List.copyOf(byDataschema.values());
    }

    /** Silver table name to the versions of the one dataset writing it, oldest first; ordered by table name. */
    public Map<String, List<Contract>> contractsByTable()
    {
        Map<String, List<Contract>> tables = new TreeMap<>();
        byDataset.values().forEach(versions -> tables.put(versions.firstEntry().getValue().table(), new ArrayList<>(versions.values())));
        tables.replaceAll((table, versions) -> List.copyOf(versions));
        return Collections.unmodifiableMap(tables);
    }
}
