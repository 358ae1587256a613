using System;
using System.Runtime.InteropServices;

namespace FaceTools.Engine.Batching
{
    /// <summary>
    /// A set of GUIDs in flat tables (16 bytes a slot, open addressing): the memory the batcher needs
    /// to recognise repeated face IDs is about half a HashSet&lt;Guid&gt;'s, which matters when millions
    /// of IDs stream through one command.
    /// </summary>
    /// <remarks>
    /// A small set is one managed array that doubles as it fills, up to 64 KiB: below the size that
    /// would put it on the large-object heap, whose allocations make the garbage collector run full
    /// collections (a command keeps one set per user, so there may be thousands of these). A larger set
    /// is split into <see cref="SegmentCount"/> tables chosen by the hash's top bits, each growing by a
    /// quarter (not double) on its own, up to 85% full, so the set stays near 21 bytes a face. They live
    /// in native memory: a replaced table is freed at once instead of waiting, with the rest of the
    /// set's old copies, for a full garbage collection, so the peak stays close to what the set holds.
    /// </remarks>
    internal sealed class GuidSet : IDisposable
    {
        internal const int SegmentCount = 1 << SegmentBits;
        private const int SegmentBits = 6;

        // The single table is split once it would grow past this many slots (64 KiB).
        internal const int SplitAtSlots = 1 << 12;

        private Guid[] _small = new Guid[16];
        private GuidTable[] _segments;
        private bool _hasEmpty;
        private bool _disposed;

        public int Count { get; private set; }

        /// <summary>How many tables hold the set: 1 until it is large.</summary>
        internal int Segments => _segments?.Length ?? 1;

        /// <summary>Slots allocated in all tables.</summary>
        internal long Capacity
        {
            get
            {
                if (_segments == null) return _small.Length;
                long slots = 0;
                foreach (GuidTable segment in _segments) slots += segment.Length;
                return slots;
            }
        }

        /// <summary>Adds the value; false when it was already there.</summary>
        public bool Add(Guid value)
        {
            if (_disposed) throw new ObjectDisposedException(nameof(GuidSet));

            // Guid.Empty marks a free slot, so the (valid) all-zero face ID is kept aside.
            if (value == Guid.Empty)
            {
                if (_hasEmpty) return false;
                _hasEmpty = true;
                Count++;
                return true;
            }

            ulong hash = Hash(value);
            if (!(_segments == null ? AddSmall(hash, value) : AddToSegment(hash, value))) return false;
            Count++;
            return true;
        }

        public bool Contains(Guid value)
        {
            if (_disposed) throw new ObjectDisposedException(nameof(GuidSet));
            if (value == Guid.Empty) return _hasEmpty;
            ulong hash = Hash(value);
            return Find(_segments == null ? _small : _segments[SegmentOf(hash)].Slots, hash, value);
        }

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            if (_segments != null)
                foreach (GuidTable segment in _segments) segment.Dispose();
            _segments = null;
            _small = null;
        }

        private bool AddSmall(ulong hash, Guid value)
        {
            // While the set is one table, it holds every value but the all-zero one.
            if (IsFull(Count - (_hasEmpty ? 1 : 0) + 1, _small.Length))
            {
                int larger = _small.Length * 2;
                if (larger > SplitAtSlots)
                {
                    Split(larger);
                    return AddToSegment(hash, value);
                }

                var grown = new Guid[larger];
                Rehash(_small, grown);
                _small = grown;
            }

            return Insert(_small, hash, value);
        }

        private bool AddToSegment(ulong hash, Guid value)
        {
            int index = SegmentOf(hash);
            GuidTable segment = _segments[index];
            if (IsFull(segment.Count + 1, segment.Length)) segment = _segments[index] = Regrow(segment);
            if (!Insert(segment.Slots, hash, value)) return false;
            segment.Count++;
            return true;
        }

        private static GuidTable Regrow(GuidTable old)
        {
            var grown = new GuidTable(Grown(old.Length));
            Rehash(old.Slots, grown.Slots);
            grown.Count = old.Count;
            old.Dispose();
            return grown;
        }

        // Together the segments have the slots one growth would have given, and each at least half as
        // many again as it takes (values whose hashes share their top bits may all go to one).
        private void Split(int slots)
        {
            var counts = new int[SegmentCount];
            foreach (Guid value in _small)
                if (value != Guid.Empty) counts[SegmentOf(Hash(value))]++;

            var segments = new GuidTable[SegmentCount];
            try
            {
                for (int s = 0; s < SegmentCount; s++)
                    segments[s] = new GuidTable(Math.Max(slots / SegmentCount + 1, counts[s] * 3 / 2 + 1));
            }
            catch
            {
                foreach (GuidTable segment in segments) segment?.Dispose();
                throw;
            }

            foreach (Guid value in _small)
            {
                if (value == Guid.Empty) continue;
                ulong hash = Hash(value);
                GuidTable segment = segments[SegmentOf(hash)];
                Insert(segment.Slots, hash, value);
                segment.Count++;
            }

            _segments = segments;
            _small = null;
        }

        // Puts every value of a table (its free slots hold Guid.Empty) into a larger one.
        private static void Rehash(ReadOnlySpan<Guid> from, Span<Guid> to)
        {
            foreach (Guid value in from)
                if (value != Guid.Empty) Insert(to, Hash(value), value);
        }

        private static int Grown(int slots) => slots + slots / 4;

        private static bool IsFull(int count, int slots) => count * 20L > slots * 17L;

        private static int SegmentOf(ulong hash) => (int)(hash >> (64 - SegmentBits));

        private static bool Find(ReadOnlySpan<Guid> slots, ulong hash, Guid value)
        {
            for (int i = StartOf(hash, slots.Length); ; i = i + 1 == slots.Length ? 0 : i + 1)
            {
                if (slots[i] == value) return true;
                if (slots[i] == Guid.Empty) return false;
            }
        }

        // The low 32 bits scaled to the table's size (any size, not only powers of two).
        private static int StartOf(ulong hash, int slots) => (int)(((hash & 0xFFFFFFFFUL) * (ulong)slots) >> 32);

        private static bool Insert(Span<Guid> slots, ulong hash, Guid value)
        {
            int i = StartOf(hash, slots.Length);
            while (true)
            {
                if (slots[i] == Guid.Empty)
                {
                    slots[i] = value;
                    return true;
                }

                if (slots[i] == value) return false;
                if (++i == slots.Length) i = 0;
            }
        }

        // Face IDs may be sequential or structured, so mix all 128 bits: the low half of the result
        // picks the slot, the top bits the segment.
        internal static ulong Hash(Guid value)
        {
            var bits = new GuidBits { Value = value };
            ulong h = bits.High * 0x9E3779B97F4A7C15UL ^ bits.Low;
            h ^= h >> 33;
            h *= 0xFF51AFD7ED558CCDUL;
            h ^= h >> 33;
            h *= 0xC4CEB9FE1A85EC53UL;
            h ^= h >> 33;
            return h;
        }

        // The GUID's two halves, read without copying it to a byte array.
        [StructLayout(LayoutKind.Explicit)]
        private struct GuidBits
        {
            [FieldOffset(0)] public Guid Value;
            [FieldOffset(0)] public ulong High;
            [FieldOffset(8)] public ulong Low;
        }

        /// <summary>One table of zeroed slots in native memory, freed when disposed (or finalized).</summary>
        private sealed unsafe class GuidTable : SafeHandle
        {
            public GuidTable(int length)
                : base(IntPtr.Zero, ownsHandle: true)
            {
                int bytes = checked(length * sizeof(Guid));
                SetHandle(Marshal.AllocHGlobal(bytes));
                Length = length;
                new Span<byte>((void*)handle, bytes).Clear();
            }

            public int Length { get; }
            public int Count;

            public override bool IsInvalid => handle == IntPtr.Zero;

            public Span<Guid> Slots => IsClosed ? throw new ObjectDisposedException(nameof(GuidSet)) : new Span<Guid>((void*)handle, Length);

            protected override bool ReleaseHandle()
            {
                Marshal.FreeHGlobal(handle);
                return true;
            }
        }
    }
}
