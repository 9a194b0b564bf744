package io.sluice.pipeline;

import io.sluice.contract.Contract;
import io.sluice.contract.ContractRegistry;
import io.sluice.contract.SparkSchemaConverter;
import io.sluice.table.QuarantineColumns;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static java.util.Objects.requireNonNull;

/**
 * Reads a record's payload in one pass of one JSON parser: the CloudEvents envelope, then {@code data} checked against
 * the contract its {@code dataschema} names and typed as that contract's silver columns, with every quarantine reason.
 * Nothing is read twice: a payload is tokenized once (a {@code data} member before its {@code dataschema} is buffered
 * as tokens, not re-parsed), strings are decoded once, and the checks run on the decoded values.
 *
 * <p>Strict as I-JSON (RFC 7493) asks: a member name repeated in any object, content after the object, an unpaired
 * surrogate escape and nesting beyond the limit each quarantine the record with their own reason, and a value is never
 * converted to the type its contract declares (a number for a string, an object's text for a string): what another
 * conforming parser could read differently is never interpreted silently.
 *
 * <p>Serializable, immutable and shared by all tasks: the per-record state lives in a {@link Reading}.
 */
final class RecordReader
        implements Serializable
{
    @Serial
    private static final long serialVersionUID = 1L;

    static final String EVENT_ID = "event_id";
    static final String EVENT_TIME = "event_time";
    static final String CONTRACT = "contract";
    static final String REASONS = "reasons";
    static final String DATA_PREFIX = "data_";

    /** The envelope attributes read, in the order of the record's first fields. */
    static final List<String> ATTRIBUTES = List.of(EnvelopeColumns.SPECVERSION, EnvelopeColumns.ID, EnvelopeColumns.SOURCE, EnvelopeColumns.TYPE,
            EnvelopeColumns.TIME, EnvelopeColumns.DATASCHEMA, EnvelopeColumns.SUBJECT, EnvelopeColumns.DATACONTENTTYPE);
    /** Each attribute's position in {@link #ATTRIBUTES}, for the lookup of every member name of the envelope. */
    private static final Map<String, Integer> ATTRIBUTE_INDEX = IntStream.range(0, ATTRIBUTES.size()).boxed()
            .collect(Collectors.toUnmodifiableMap(ATTRIBUTES::get, Function.identity()));
    private static final List<String> REQUIRED = List.of(EnvelopeColumns.SPECVERSION, EnvelopeColumns.ID, EnvelopeColumns.SOURCE, EnvelopeColumns.TYPE,
            EnvelopeColumns.TIME, EnvelopeColumns.DATASCHEMA);
    private static final int SPECVERSION = 0;
    private static final int ID = 1;
    private static final int SOURCE = 2;
    private static final int TYPE = 3;
    private static final int TIME = 4;
    private static final int DATASCHEMA = 5;
    private static final int SUBJECT = 6;
    private static final int DATACONTENTTYPE = 7;
    private static final int FIRST_DATA_FIELD = ATTRIBUTES.size() + 4;

    /**
     * Jackson's defaults are strict JSON (no comments, single quotes, NaN, leading zeros or control characters in
     * strings); its own depth limit is lifted because depth is checked here, so that a too-deep payload is told from
     * a malformed one. Thread-safe and immutable once built, as Jackson documents.
     */
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(Integer.MAX_VALUE).build())
            .build();

    /** Per contract index: its rules, its event types. Only serializable values: the reader travels with every task. */
    private final List<DataRule> rules;
    private final List<Set<String>> eventTypes;
    private final Map<String, Integer> contractByDataschema = new HashMap<>();
    private final Set<String> datasets;
    private final List<String> tables;
    /** Per contract: the ordinal of its table's data field in the record, and how its values become the latest's. */
    private final int[] dataField;
    private final List<SilverShape> shapes;
    private final int maxRecordBytes;
    private final int maxNestingDepth;
    private final StructType schema;

    RecordReader(ContractRegistry registry, EnforcementLimits limits)
    {
        requireNonNull(registry, "registry is null");
        requireNonNull(limits, "limits is null");
        this.maxRecordBytes = limits.maxRecordBytes();
        this.maxNestingDepth = limits.maxNestingDepth();
        List<Contract> contracts = registry.contracts();
        this.datasets = Set.copyOf(registry.datasets());
        this.tables = List.copyOf(registry.contractsByTable().keySet());
        this.rules = contracts.stream().map(contract -> DataRule.root(contract.schema())).toList();
        this.eventTypes = contracts.stream().map(contract -> Set.copyOf(contract.eventTypes())).toList();
        this.dataField = new int[contracts.size()];
        List<SilverShape> shapes = new ArrayList<>();
        StructType schema = new StructType();
        for (String attribute : ATTRIBUTES) {
            schema = schema.add(attribute, DataTypes.StringType);
        }
        schema = schema.add(EVENT_ID, DataTypes.StringType)
                .add(EVENT_TIME, DataTypes.TimestampType)
                .add(CONTRACT, DataTypes.IntegerType)
                .add(REASONS, QuarantineColumns.REASONS_TYPE, false);
        for (String table : tables) {
            List<Contract> versions = registry.contractsByTable().get(table);
            schema = schema.add(DATA_PREFIX + table, SparkSchemaConverter.toStructType(versions.get(versions.size() - 1).schema()));
        }
        for (int index = 0; index < contracts.size(); index++) {
            Contract contract = contracts.get(index);
            contractByDataschema.putIfAbsent(contract.dataschema(), index);
            dataField[index] = FIRST_DATA_FIELD + tables.indexOf(contract.table());
            shapes.add(SilverShape.of(SparkSchemaConverter.toStructType(contract.schema()), schema.fields()[dataField[index]].dataType()));
        }
        this.shapes = List.copyOf(shapes);
        this.schema = (StructType) SilverShape.nullable(schema);
    }

    /** The record's type: the envelope attributes, event id and time, contract index, reasons, one data struct per table. */
    StructType schema()
    {
        return schema;
    }

    @Override
    public String toString()
    {
        return "RecordReader{contracts=" + rules.size() + ", tables=" + tables + "}";
    }

    /** Reads one payload; never fails on its content. */
    InternalRow read(byte[] payload)
    {
        Object[] record = new Object[schema.size()];
        InternalRow precheck = precheck(payload);
        if (precheck != null) {
            return reasons(record, List.of(precheck));
        }
        Reading reading = new Reading(hasEscape(payload), maxNestingDepth);
        Envelope envelope = new Envelope();
        InternalRow syntax = parse(payload, reading, envelope);
        if (syntax != null) {
            return reasons(record, List.of(syntax));
        }
        if (reading.tooDeep()) {
            return reasons(record, List.of(Reading.reason("$", QuarantineReason.TOO_DEEPLY_NESTED,
                    "Invalid payload: JSON nested deeper than " + maxNestingDepth + " levels")));
        }
        String[] values = envelope.values;
        for (int i = 0; i < values.length; i++) {
            record[i] = values[i] == null ? null : UTF8String.fromString(values[i]);
        }
        // What dedup keys on: from a payload read to its end, even one quarantined below (as Kinesis redelivers it).
        String id = isUuid(values[ID]) ? values[ID] : null;
        Long time = Rfc3339.timestampMicros(values[TIME]);
        record[ATTRIBUTES.size()] = id == null ? null : UTF8String.fromString(id);
        record[ATTRIBUTES.size() + 1] = time;
        if (envelope.trailingContent) {
            return reasons(record, List.of(payloadReason(QuarantineReason.TRAILING_CONTENT)));
        }
        if (reading.unpairedSurrogate()) {
            return reasons(record, List.of(payloadReason(QuarantineReason.INVALID_UNICODE)));
        }
        if (reading.duplicateMember()) {
            return reasons(record, List.of(payloadReason(QuarantineReason.DUPLICATE_MEMBER)));
        }
        Integer contract = envelope.contract;
        record[ATTRIBUTES.size() + 2] = contract;
        List<InternalRow> reasons = envelopeReasons(envelope, id, time);
        if (contract != null && envelope.dataPresent) {
            reasons.addAll(reading.reasons());
        }
        if (reasons.isEmpty() && contract != null) {
            record[dataField[contract]] = shapes.get(contract).apply(envelope.data);
        }
        return reasons(record, reasons);
    }

    /** The reason of a payload refused before parsing, or null. */
    private InternalRow precheck(byte[] payload)
    {
        if (payload == null || payload.length == 0) {
            return Reading.reason("$", QuarantineReason.MALFORMED_JSON, "Invalid payload: empty");
        }
        if (payload.length > maxRecordBytes) {
            return Reading.reason("$", QuarantineReason.OVERSIZED,
                    "Invalid payload: " + payload.length + " bytes exceed the limit of " + maxRecordBytes);
        }
        // ASCII is valid UTF-8: only a payload with a byte above 0x7F is checked further.
        if (!isAscii(payload) && !UTF8String.fromBytes(payload).isValid()) {
            return Reading.reason("$", QuarantineReason.INVALID_UTF8, "Invalid payload: not valid UTF-8");
        }
        return null;
    }

    private final class Envelope
    {
        final String[] values = new String[ATTRIBUTES.size()];
        final boolean[] notString = new boolean[ATTRIBUTES.size()];
        Integer contract;
        boolean dataPresent;
        /** The typed data of the contract, once read. */
        Object data;
        /** A data object read before its dataschema, kept as tokens. */
        TokenBuffer pending;
        boolean trailingContent;

        /** Validates data now if its contract is known, else keeps its tokens for when it is. */
        void data(JsonParser parser, Reading reading)
                throws IOException
        {
            dataPresent = parser.currentToken() != JsonToken.VALUE_NULL;
            pending = null;
            data = null;
            Integer known = values[DATASCHEMA] == null ? null : contractByDataschema.get(values[DATASCHEMA]);
            if (known != null) {
                data = dataValue(known, parser, reading);
                return;
            }
            TokenBuffer buffer = new TokenBuffer(parser);
            buffer.copyCurrentStructure(parser);
            pending = buffer;
        }

        void end(Reading reading)
                throws IOException
        {
            contract = values[DATASCHEMA] == null ? null : contractByDataschema.get(values[DATASCHEMA]);
            if (pending == null) {
                return;
            }
            try (JsonParser buffered = pending.asParser()) {
                buffered.nextToken();
                if (contract != null) {
                    data = dataValue(contract, buffered, reading);
                }
                else {
                    // No contract reads it, but it is still part of the payload's I-JSON checks.
                    skip(buffered, reading, 2);
                }
            }
        }

        private Object dataValue(int index, JsonParser parser, Reading reading)
                throws IOException
        {
            if (parser.currentToken() == JsonToken.VALUE_NULL) {
                return null;
            }
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                reading.add(EnvelopeColumns.DATA, QuarantineReason.WRONG_TYPE, "Invalid data: expected an object");
                skip(parser, reading, 2);
                return null;
            }
            return rules.get(index).read(parser, reading, EnvelopeColumns.DATA, 2);
        }
    }

    /** Reads the payload; the reason of a payload that is not one well-formed JSON object, or null. */
    private InternalRow parse(byte[] payload, Reading reading, Envelope envelope)
    {
        try (JsonParser parser = JSON.createParser(payload)) {
            JsonToken first;
            try {
                first = parser.nextToken();
            }
            catch (JsonProcessingException e) {
                return payloadReason(QuarantineReason.NOT_AN_OBJECT);
            }
            if (first == null) {
                return Reading.reason("$", QuarantineReason.MALFORMED_JSON, "Invalid payload: no JSON value");
            }
            if (first != JsonToken.START_OBJECT) {
                return payloadReason(QuarantineReason.NOT_AN_OBJECT);
            }
            reading.opened(1);
            Reading.MemberNames names = new Reading.MemberNames();
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                reading.member(names, name);
                JsonToken value = parser.nextToken();
                Integer attribute = ATTRIBUTE_INDEX.get(name);
                if (attribute != null) {
                    envelope.notString[attribute] = value != JsonToken.VALUE_STRING && value != JsonToken.VALUE_NULL;
                    envelope.values[attribute] = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                    if (value == JsonToken.VALUE_STRING) {
                        reading.string(envelope.values[attribute]);
                    }
                    else {
                        skip(parser, reading, 2);
                    }
                }
                else if (name.equals(EnvelopeColumns.DATA)) {
                    envelope.data(parser, reading);
                }
                else {
                    // An extension attribute: allowed and not kept, but held to the same I-JSON rules.
                    skip(parser, reading, 2);
                }
            }
            if (token != JsonToken.END_OBJECT) {
                throw new JsonParseException(parser, "Unexpected end of the object: " + token);
            }
            envelope.end(reading);
            // Spark's and many other readers stop after the first value: anything but whitespace after it is refused.
            try {
                envelope.trailingContent = parser.nextToken() != null;
            }
            catch (JsonProcessingException e) {
                envelope.trailingContent = true;
            }
            return null;
        }
        catch (IOException e) {
            // Malformed JSON (Jackson's JsonProcessingException), or a number or string beyond Jackson's limits.
            return payloadReason(QuarantineReason.MALFORMED_JSON);
        }
    }

    /**
     * Skips the value whose first token is current, up to its last token, holding it to the I-JSON checks. Iterative:
     * a payload of a million '[' must not overflow the stack.
     */
    static void skip(JsonParser parser, Reading reading, int depth)
            throws IOException
    {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_STRING) {
            reading.string(parser.getText());
        }
        if (token != JsonToken.START_OBJECT && token != JsonToken.START_ARRAY) {
            return;
        }
        Deque<Reading.MemberNames> open = new ArrayDeque<>();
        // Stands in for the names of an open array, which has none (a deque holds no null).
        Reading.MemberNames noNames = new Reading.MemberNames();
        int level = depth;
        reading.opened(level);
        open.push(token == JsonToken.START_OBJECT ? new Reading.MemberNames() : noNames);
        while (!open.isEmpty()) {
            token = parser.nextToken();
            if (token == null) {
                throw new JsonParseException(parser, "Unexpected end of input");
            }
            switch (token) {
                case FIELD_NAME -> reading.member(open.peek(), parser.currentName());
                case START_OBJECT, START_ARRAY -> {
                    level++;
                    reading.opened(level);
                    open.push(token == JsonToken.START_OBJECT ? new Reading.MemberNames() : noNames);
                }
                case END_OBJECT, END_ARRAY -> {
                    level--;
                    open.pop();
                }
                case VALUE_STRING -> reading.string(parser.getText());
                default -> {
                    // Numbers, booleans and null: nothing to check.
                }
            }
        }
    }

    private List<InternalRow> envelopeReasons(Envelope envelope, String id, Long time)
    {
        String[] values = envelope.values;
        List<InternalRow> reasons = new ArrayList<>();
        for (int i = 0; i < ATTRIBUTES.size(); i++) {
            String attribute = ATTRIBUTES.get(i);
            if (envelope.notString[i]) {
                reasons.add(Reading.reason(attribute, QuarantineReason.INVALID_ENVELOPE_FIELD, "Invalid " + attribute + ": expected a string"));
            }
            else if (values[i] == null && REQUIRED.contains(attribute)) {
                reasons.add(Reading.reason(attribute, QuarantineReason.MISSING_REQUIRED_FIELD, "Missing required field: " + attribute));
            }
        }
        if (values[SPECVERSION] != null && !values[SPECVERSION].equals("1.0")) {
            reasons.add(invalid(SPECVERSION, values, "' is not 1.0"));
        }
        if (values[ID] != null && id == null) {
            reasons.add(invalid(ID, values, "' is not a UUID"));
        }
        // CloudEvents types: source and dataschema are URI-references, id, type and subject non-empty strings; none
        // may hold a control character (a UUID id cannot).
        boolean badDataschema = holds(values[DATASCHEMA], true);
        boolean badType = holds(values[TYPE], false);
        if ("".equals(values[SOURCE])) {
            reasons.add(invalid(SOURCE, values, "' is empty"));
        }
        if (holds(values[SOURCE], true)) {
            reasons.add(invalid(SOURCE, values, "' is not a URI-reference: it holds a control character or space"));
        }
        if (badDataschema) {
            reasons.add(invalid(DATASCHEMA, values, "' is not a URI-reference: it holds a control character or space"));
        }
        if ("".equals(values[TYPE])) {
            reasons.add(invalid(TYPE, values, "' is empty"));
        }
        if (badType) {
            reasons.add(invalid(TYPE, values, "' holds a control character"));
        }
        if ("".equals(values[SUBJECT])) {
            reasons.add(invalid(SUBJECT, values, "' is empty"));
        }
        if (holds(values[SUBJECT], false)) {
            reasons.add(invalid(SUBJECT, values, "' holds a control character"));
        }
        if (values[TIME] != null && time == null) {
            reasons.add(invalid(TIME, values, "' is not an RFC 3339 date-time"));
        }
        if (values[DATACONTENTTYPE] != null && !values[DATACONTENTTYPE].equals("application/json")) {
            reasons.add(invalid(DATACONTENTTYPE, values, "' is not application/json"));
        }
        Integer contract = envelope.contract;
        String dataschema = values[DATASCHEMA];
        if (dataschema != null && contract == null && !badDataschema) {
            Matcher matcher = Contract.DATASCHEMA_PATTERN.matcher(dataschema);
            boolean knownDataset = matcher.find() && matcher.group(1) != null && datasets.contains(matcher.group(1));
            reasons.add(knownDataset
                    ? Reading.reason(EnvelopeColumns.DATASCHEMA, QuarantineReason.UNKNOWN_CONTRACT_VERSION,
                            "Invalid dataschema: no such version of the contract: " + Reading.quoted(dataschema))
                    : Reading.reason(EnvelopeColumns.DATASCHEMA, QuarantineReason.UNKNOWN_CONTRACT, "Invalid dataschema: no such contract: " + Reading.quoted(dataschema)));
        }
        if (contract != null && values[TYPE] != null && !badType && !eventTypes.get(contract).contains(values[TYPE])) {
            reasons.add(Reading.reason(EnvelopeColumns.TYPE, QuarantineReason.TYPE_NOT_IN_CONTRACT,
                    "Invalid type: " + Reading.quoted(values[TYPE]) + " is not an event type of " + dataschema));
        }
        if (contract != null && !envelope.dataPresent) {
            reasons.add(Reading.reason(EnvelopeColumns.DATA, QuarantineReason.MISSING_REQUIRED_FIELD, "Missing required field: data"));
        }
        return reasons;
    }

    private static InternalRow invalid(int attribute, String[] values, String after)
    {
        String name = ATTRIBUTES.get(attribute);
        return Reading.reason(name, QuarantineReason.INVALID_ENVELOPE_FIELD, "Invalid " + name + ": '" + Reading.shortened(values[attribute]) + after);
    }

    /** Whether {@code text} holds a control character (Unicode Cc) or, when {@code orSpace}, a space or separator (Z). */
    private static boolean holds(String text, boolean orSpace)
    {
        if (text == null) {
            return false;
        }
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            int type = Character.getType(codePoint);
            if (type == Character.CONTROL
                    || orSpace && (type == Character.SPACE_SEPARATOR || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR)) {
                return true;
            }
            i += Character.charCount(codePoint);
        }
        return false;
    }

    /** A UUID in its 36-character form, either case. */
    static boolean isUuid(String text)
    {
        if (text == null || text.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = text.charAt(i);
            boolean hyphen = i == 8 || i == 13 || i == 18 || i == 23;
            boolean hex = c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
            if (hyphen ? c != '-' : !hex) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAscii(byte[] payload)
    {
        for (byte b : payload) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasEscape(byte[] payload)
    {
        for (int i = 0; i + 1 < payload.length; i++) {
            if (payload[i] == '\\' && payload[i + 1] == 'u') {
                return true;
            }
        }
        return false;
    }

    private static InternalRow payloadReason(QuarantineReason rule)
    {
        return Reading.reason("$", rule, switch (rule) {
            case MALFORMED_JSON -> "Invalid payload: malformed JSON";
            case NOT_AN_OBJECT -> "Invalid payload: not a JSON object";
            case TRAILING_CONTENT -> "Invalid payload: content after the JSON object";
            case INVALID_UNICODE -> "Invalid payload: a string holds an unpaired UTF-16 surrogate escape";
            case DUPLICATE_MEMBER -> "Invalid payload: an object names a member more than once";
            default -> throw new IllegalArgumentException("Not a payload reason: " + rule);
        });
    }

    private static InternalRow reasons(Object[] record, List<InternalRow> reasons)
    {
        record[ATTRIBUTES.size() + 3] = new GenericArrayData(reasons.toArray());
        return new GenericInternalRow(record);
    }
}
