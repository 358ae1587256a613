using System;
using System.Buffers;
using System.IO;

namespace FaceTools.Engine.Protocol
{
    /// <summary>
    /// Request and response bodies as exact-size arrays, copied once. A body written through a stream
    /// (Utf8JsonWriter's own buffer, then a MemoryStream, then ToArray) or read into a MemoryStream
    /// allocates about three times its size, at every request.
    /// </summary>
    internal static class BodyBuffer
    {
        /// <summary>A writer's output, built in a pooled buffer and returned as a copy of exactly its length.</summary>
        public static byte[] Write(Action<IBufferWriter<byte>> write)
        {
            using (var buffer = new PooledBufferWriter())
            {
                write(buffer);
                return buffer.WrittenSpan.ToArray();
            }
        }

        // A broken proxy's Content-Length must not allocate gigabytes before a byte arrives.
        private const int MaxPresize = 1 << 20;

        /// <summary>
        /// Everything left in the stream. A declared length sizes the array (up to 1 MiB); a body longer
        /// or shorter than declared is still read whole, and only it.
        /// </summary>
        public static byte[] ReadAll(Stream stream, long declaredLength)
        {
            if (stream == null) return Array.Empty<byte>();
            if (declaredLength <= 0) return ReadUnsized(stream, Array.Empty<byte>());

            var body = new byte[Math.Min(declaredLength, MaxPresize)];
            int read = ReadInto(stream, body);
            if (read < body.Length) return body.AsSpan(0, read).ToArray();
            return ReadUnsized(stream, body);
        }

        private static int ReadInto(Stream stream, byte[] target)
        {
            int total = 0, n;
            while (total < target.Length && (n = stream.Read(target, total, target.Length - total)) > 0) total += n;
            return total;
        }

        // The rest of the stream after what was read already.
        private static byte[] ReadUnsized(Stream stream, byte[] start)
        {
            var next = new byte[1];
            if (stream.Read(next, 0, 1) == 0) return start;
            using (var copy = new MemoryStream())
            {
                copy.Write(start, 0, start.Length);
                copy.Write(next, 0, 1);
                stream.CopyTo(copy);
                return copy.ToArray();
            }
        }

        private sealed class PooledBufferWriter : IBufferWriter<byte>, IDisposable
        {
            // Utf8JsonWriter asks for at least this much each time it needs room.
            private const int InitialSize = 4096;
            private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialSize);
            private int _written;

            public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _written);

            public void Advance(int count)
            {
                if (count < 0 || _written + count > _buffer.Length) throw new ArgumentOutOfRangeException(nameof(count));
                _written += count;
            }

            public Memory<byte> GetMemory(int sizeHint = 0)
            {
                Reserve(sizeHint);
                return _buffer.AsMemory(_written);
            }

            public Span<byte> GetSpan(int sizeHint = 0)
            {
                Reserve(sizeHint);
                return _buffer.AsSpan(_written);
            }

            public void Dispose()
            {
                if (_buffer == null) return;
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = null;
            }

            private void Reserve(int sizeHint)
            {
                int needed = Math.Max(sizeHint, 1);
                if (_buffer.Length - _written >= needed) return;
                byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _written + needed));
                Buffer.BlockCopy(_buffer, 0, larger, 0, _written);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = larger;
            }
        }
    }
}
