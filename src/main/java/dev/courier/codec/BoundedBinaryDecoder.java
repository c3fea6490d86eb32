package dev.courier.codec;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.util.Utf8;

/**
 * Avro binary decoding of one value held in a byte array, refusing any length or item count
 * larger than the value itself before anything is allocated. Avro's own decoder allocates what
 * a length prefix claims (up to 2 GiB), so a 10-byte record could otherwise exhaust the heap.
 * Consequence: an array or map of zero-byte items (nulls, empty records) may not have more
 * items than the value has bytes. Not thread-safe: one instance per value.
 */
final class BoundedBinaryDecoder extends Decoder {
    private final BinaryDecoder in;
    private final int limit;

    BoundedBinaryDecoder(byte[] bytes, int offset, int length) {
        this.in = DecoderFactory.get().binaryDecoder(bytes, offset, length, null);
        this.limit = length;
    }

    /** True when every byte of the value has been read. */
    boolean isEnd() throws IOException {
        return in.isEnd();
    }

    /** Bytes not read yet. */
    int remaining() throws IOException {
        return in.inputStream().available();
    }

    private int length(long claimed, String what) throws IOException {
        if (claimed < 0) {
            throw new IOException("negative " + what + " length " + claimed);
        }
        if (claimed > limit) {
            throw new EOFException(what + " length " + claimed + " exceeds the " + limit
                    + " bytes of the whole value");
        }
        return (int) claimed;
    }

    private long count(long claimed, String what) throws IOException {
        if (claimed > limit) {
            throw new IOException(what + " of " + claimed + " items exceeds the " + limit
                    + " bytes of the whole value");
        }
        return claimed;
    }

    private byte[] bytes(String what) throws IOException {
        byte[] bytes = new byte[length(in.readLong(), what)];
        in.readFixed(bytes, 0, bytes.length);
        return bytes;
    }

    @Override
    public Utf8 readString(Utf8 old) throws IOException {
        return new Utf8(bytes("string"));
    }

    @Override
    public String readString() throws IOException {
        return new String(bytes("string"), StandardCharsets.UTF_8);
    }

    @Override
    public void skipString() throws IOException {
        in.skipFixed(length(in.readLong(), "string"));
    }

    @Override
    public ByteBuffer readBytes(ByteBuffer old) throws IOException {
        return ByteBuffer.wrap(bytes("bytes"));
    }

    @Override
    public void skipBytes() throws IOException {
        in.skipFixed(length(in.readLong(), "bytes"));
    }

    @Override
    public long readArrayStart() throws IOException {
        return count(in.readArrayStart(), "array block");
    }

    @Override
    public long arrayNext() throws IOException {
        return count(in.arrayNext(), "array block");
    }

    @Override
    public long skipArray() throws IOException {
        return count(in.skipArray(), "array block");
    }

    @Override
    public long readMapStart() throws IOException {
        return count(in.readMapStart(), "map block");
    }

    @Override
    public long mapNext() throws IOException {
        return count(in.mapNext(), "map block");
    }

    @Override
    public long skipMap() throws IOException {
        return count(in.skipMap(), "map block");
    }

    @Override
    public void readNull() throws IOException {
        in.readNull();
    }

    @Override
    public boolean readBoolean() throws IOException {
        return in.readBoolean();
    }

    @Override
    public int readInt() throws IOException {
        return in.readInt();
    }

    @Override
    public long readLong() throws IOException {
        return in.readLong();
    }

    @Override
    public float readFloat() throws IOException {
        return in.readFloat();
    }

    @Override
    public double readDouble() throws IOException {
        return in.readDouble();
    }

    @Override
    public void readFixed(byte[] bytes, int start, int length) throws IOException {
        in.readFixed(bytes, start, length);
    }

    @Override
    public void skipFixed(int length) throws IOException {
        in.skipFixed(length);
    }

    @Override
    public int readEnum() throws IOException {
        return in.readEnum();
    }

    @Override
    public int readIndex() throws IOException {
        return in.readIndex();
    }
}
