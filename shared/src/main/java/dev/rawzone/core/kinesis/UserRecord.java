package dev.rawzone.core.kinesis;

import dev.rawzone.core.write.Position;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One record a producer put: a plain Kinesis record, or one record out of a KPL aggregate. Its identity is shard +
 * sequence number + sub-sequence number ({@link #position()}); a plain record has sub-sequence 0.
 * <p>
 * The position is parsed from the decimal sequence number once, here: a shard run sorts, compares and settles by it
 * several times per record.
 */
public final class UserRecord {
    private final StreamRecord source;
    private final long subSequence;
    private final String partitionKey;
    private final byte[] data;
    private final Optional<String> unreadable;
    private final Position position;

    /**
     * @param unreadable set when the Kinesis record could not even be split into user records (a malformed
     *                   aggregate); the whole record then stands as one user record to quarantine
     */
    private UserRecord(StreamRecord source, long subSequence, String partitionKey, byte[] data,
                       Optional<String> unreadable) {
        this.source = source;
        this.subSequence = subSequence;
        this.partitionKey = partitionKey;
        this.data = data;
        this.unreadable = unreadable;
        this.position = new Position(source.sequence(), subSequence);
    }

    /** The user records of a Kinesis record, in sub-sequence order: de-aggregated if the KPL aggregated it. */
    public static List<UserRecord> of(StreamRecord record) {
        KplAggregate.Result result = KplAggregate.parse(record.data());
        if (result instanceof KplAggregate.Result.Aggregated aggregated) {
            List<UserRecord> users = new ArrayList<>(aggregated.records().size());
            for (KplAggregate.UserData user : aggregated.records()) {
                users.add(new UserRecord(record, user.subSequence(), user.partitionKey(), user.data(), Optional.empty()));
            }
            return users;
        }
        if (result instanceof KplAggregate.Result.Malformed malformed) {
            return List.of(new UserRecord(record, 0, record.partitionKey(), record.data(),
                    Optional.of(malformed.reason())));
        }
        return List.of(new UserRecord(record, 0, record.partitionKey(), record.data(), Optional.empty()));
    }

    public StreamRecord source() {
        return source;
    }

    public long subSequence() {
        return subSequence;
    }

    public String partitionKey() {
        return partitionKey;
    }

    public byte[] data() {
        return data;
    }

    public Optional<String> unreadable() {
        return unreadable;
    }

    public Position position() {
        return position;
    }
}
