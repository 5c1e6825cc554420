package dev.rawzone.core.kinesis;

import dev.rawzone.core.write.Position;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One record a producer put: a plain Kinesis record, or one record out of a KPL aggregate. Its identity is shard +
 * sequence number + sub-sequence number ({@link #position()}); a plain record has sub-sequence 0.
 *
 * @param unreadable set when the Kinesis record could not even be split into user records (a malformed aggregate);
 *                   the whole record then stands as one user record to quarantine
 */
public record UserRecord(StreamRecord source, long subSequence, String partitionKey, byte[] data,
                         Optional<String> unreadable) {

    public Position position() {
        return new Position(source.sequence(), subSequence);
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
}
