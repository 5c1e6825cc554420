package dev.rawzone.core.kinesis;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Just enough of the protobuf wire format to read a KPL {@code AggregatedRecord}: tags, varints, length-delimited
 * fields, and skipping of anything else. Every read is bounds-checked; a malformed message is a
 * {@link MalformedProtobufException}, never an index error.
 */
final class ProtobufReader {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    private final byte[] bytes;
    private final int end;
    private int position;

    ProtobufReader(byte[] bytes, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > bytes.length) {
            throw new IllegalArgumentException("range " + offset + "+" + length + " outside " + bytes.length + " bytes");
        }
        this.bytes = bytes;
        this.position = offset;
        this.end = offset + length;
    }

    boolean atEnd() {
        return position >= end;
    }

    /** The next field's tag: {@code field number << 3 | wire type}. */
    int readTag() {
        long tag = readVarint();
        if (tag <= 0 || tag > Integer.MAX_VALUE || (tag >>> 3) == 0) {
            throw new MalformedProtobufException("invalid field tag " + tag);
        }
        return (int) tag;
    }

    static int fieldNumber(int tag) {
        return tag >>> 3;
    }

    static int wireType(int tag) {
        return tag & 7;
    }

    long readVarint() {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (position >= end) {
                throw new MalformedProtobufException("truncated varint");
            }
            byte b = bytes[position++];
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new MalformedProtobufException("varint longer than 10 bytes");
    }

    byte[] readBytes() {
        int length = readLength();
        byte[] out = new byte[length];
        System.arraycopy(bytes, position, out, 0, length);
        position += length;
        return out;
    }

    /** A reader over the next length-delimited field (an embedded message), without copying it. */
    ProtobufReader readMessage() {
        int length = readLength();
        ProtobufReader message = new ProtobufReader(bytes, position, length);
        position += length;
        return message;
    }

    String readString() {
        int length = readLength();
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, position, length))
                    .toString();
            position += length;
            return text;
        } catch (CharacterCodingException e) {
            throw new MalformedProtobufException("string field is not UTF-8");
        }
    }

    /** Skips the value of a field with the given wire type (unknown fields are allowed by protobuf). */
    void skip(int wireType) {
        switch (wireType) {
            case VARINT -> readVarint();
            case FIXED64 -> advance(8);
            case LENGTH_DELIMITED -> advance(readLength());
            case FIXED32 -> advance(4);
            default -> throw new MalformedProtobufException("unsupported wire type " + wireType);
        }
    }

    private int readLength() {
        long length = readVarint();
        if (length < 0 || length > end - position) {
            throw new MalformedProtobufException("length " + length + " runs past the end of the message");
        }
        return (int) length;
    }

    private void advance(int count) {
        if (count > end - position) {
            throw new MalformedProtobufException("field runs past the end of the message");
        }
        position += count;
    }

    /** The bytes are not a well-formed protobuf message of the expected shape. */
    static final class MalformedProtobufException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MalformedProtobufException(String message) {
            super(message);
        }
    }
}
