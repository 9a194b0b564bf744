package io.sluice.source.kinesis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.Objects.requireNonNull;

/**
 * A loopback HTTP proxy in front of the Kinesis mock that fails every third GetRecords call, rotating through
 * a throttling answer, a 500, an expired iterator and a connection dropped without an answer. Other calls pass through.
 * {@link #counting} makes one that injects nothing and records when each shard was called with GetRecords (it follows
 * shard iterators from GetShardIterator and each GetRecords answer to their shard; the JVMs speak JSON to the mock).
 */
final class FaultInjectingProxy
        implements AutoCloseable
{
    private static final Set<String> HOP_HEADERS = Set.of("host", "content-length", "connection", "transfer-encoding", "expect");

    private final HttpServer server;
    private final ExecutorService executor;
    private final URI target;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final boolean injectFaults;
    private final AtomicInteger getRecordsCalls = new AtomicInteger();
    private final AtomicInteger faults = new AtomicInteger();
    private final Map<String, String> iteratorShards = new ConcurrentHashMap<>();
    private final Map<String, List<Long>> getRecordsMillis = new ConcurrentHashMap<>();

    private FaultInjectingProxy(URI target, boolean injectFaults)
            throws IOException
    {
        this.target = requireNonNull(target, "target is null");
        this.injectFaults = injectFaults;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        this.executor = Executors.newFixedThreadPool(8);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    static FaultInjectingProxy start(URI target)
    {
        try {
            return new FaultInjectingProxy(target, true);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static FaultInjectingProxy counting(URI target)
    {
        try {
            return new FaultInjectingProxy(target, false);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The most GetRecords calls any shard received within one second (a sliding window over the calls' times). */
    int maxGetRecordsPerShardPerSecond()
    {
        int max = 0;
        for (List<Long> calls : getRecordsMillis.values()) {
            List<Long> times;
            synchronized (calls) {
                times = calls.stream().sorted().toList();
            }
            int first = 0;
            for (int last = 0; last < times.size(); last++) {
                while (times.get(last) - times.get(first) >= 1000) {
                    first++;
                }
                max = Math.max(max, last - first + 1);
            }
        }
        return max;
    }

    int getRecordsCalls()
    {
        return getRecordsCalls.get();
    }

    URI endpoint()
    {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    int injectedFaults()
    {
        return faults.get();
    }

    private void handle(HttpExchange exchange)
            throws IOException
    {
        try (exchange) {
            // When the request arrived, as Kinesis counts calls against a shard's budget: recorded after the answer
            // was sent, a late record makes two calls 200 ms apart look closer.
            long receivedMillis = System.currentTimeMillis();
            byte[] body = exchange.getRequestBody().readAllBytes();
            String operation = String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
            if (operation.endsWith(".GetRecords")) {
                int call = getRecordsCalls.incrementAndGet();
                if (injectFaults && call % 3 == 0) {
                    faults.incrementAndGet();
                    switch ((call / 3 - 1) % 4) {
                        case 0 -> respond(exchange, 400, "ProvisionedThroughputExceededException", "Rate exceeded for shard");
                        case 1 -> respond(exchange, 500, "InternalFailure", "Injected server error");
                        case 2 -> respond(exchange, 400, "ExpiredIteratorException", "Iterator expired");
                        default -> {
                            // Closing without a status line looks like a connection reset to the client.
                            return;
                        }
                    }
                    return;
                }
            }
            byte[] answer = forward(exchange, body);
            if (!injectFaults) {
                count(operation, body, answer, receivedMillis);
            }
        }
    }

    private void count(String operation, byte[] request, byte[] answer, long receivedMillis)
            throws IOException
    {
        if (operation.endsWith(".GetShardIterator") && answer.length > 0) {
            String shardId = MAPPER.readTree(request).path("ShardId").asText();
            JsonNode iterator = MAPPER.readTree(answer).path("ShardIterator");
            if (iterator.isTextual()) {
                iteratorShards.put(iterator.asText(), shardId);
            }
        }
        else if (operation.endsWith(".GetRecords")) {
            String shardId = iteratorShards.getOrDefault(MAPPER.readTree(request).path("ShardIterator").asText(), "unknown");
            getRecordsMillis.computeIfAbsent(shardId, ignored -> java.util.Collections.synchronizedList(new java.util.ArrayList<>())).add(receivedMillis);
            JsonNode next = answer.length == 0 ? null : MAPPER.readTree(answer).path("NextShardIterator");
            if (next != null && next.isTextual()) {
                iteratorShards.put(next.asText(), shardId);
            }
        }
    }

    private static void respond(HttpExchange exchange, int status, String errorType, String message)
            throws IOException
    {
        byte[] json = "{\"__type\":\"%s\",\"message\":\"%s\"}".formatted(errorType, message).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        exchange.getResponseHeaders().set("x-amzn-ErrorType", errorType);
        exchange.sendResponseHeaders(status, json.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(json);
        }
    }

    private byte[] forward(HttpExchange exchange, byte[] body)
            throws IOException
    {
        HttpURLConnection connection = (HttpURLConnection) target.resolve(exchange.getRequestURI().toString()).toURL().openConnection();
        connection.setRequestMethod(exchange.getRequestMethod());
        for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
            if (!HOP_HEADERS.contains(header.getKey().toLowerCase(java.util.Locale.ROOT))) {
                header.getValue().forEach(value -> connection.addRequestProperty(header.getKey(), value));
            }
        }
        connection.setDoOutput(body.length > 0);
        if (body.length > 0) {
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body);
            }
        }
        int status = connection.getResponseCode();
        InputStream response = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
        byte[] answer = response == null ? new byte[0] : response.readAllBytes();
        connection.getHeaderFields().forEach((name, values) -> {
            if (name != null && !HOP_HEADERS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                exchange.getResponseHeaders().put(name, values);
            }
        });
        exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
        if (answer.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        }
        return answer;
    }

    @Override
    public void close()
    {
        server.stop(0);
        executor.shutdownNow();
    }
}
