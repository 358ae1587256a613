using System;
using System.Runtime.InteropServices;

namespace FaceTools.Engine.Batching
{
    /// <summary>
    /// A set of GUIDs in flat arrays (16 bytes a slot, open addressing): the memory the batcher needs
    /// to recognise repeated face IDs is about half a HashSet&lt;Guid&gt;'s, which matters when millions
    /// of IDs stream through one command.
    /// </summary>
    /// <remarks>
    /// Tables grow by a quarter (not double) and run up to 85% full, so the set stays near 21 bytes a
    /// face, and a growth leaves little behind for the garbage collector.
    /// A large set is split into <see cref="SegmentCount"/> tables chosen by the hash's top bits, each
    /// growing on its own: a growth never holds the old and the new copy of the whole set at once.
    /// </remarks>
    internal sealed class GuidSet
    {
        internal const int SegmentCount = 1 << SegmentBits;
        private const int SegmentBits = 6;

        // The single table is split once it would grow past this many slots (1 MiB).
        internal const int SplitAtSlots = 1 << 16;

        private Guid[][] _segments = { new Guid[16] };
        private int[] _counts = { 0 };
        private bool _hasEmpty;

        public int Count { get; private set; }

        /// <summary>How many tables hold the set: 1 until it is large.</summary>
        internal int Segments => _segments.Length;

        /// <summary>Slots allocated in all tables.</summary>
        internal long Capacity
        {
            get
            {
                long slots = 0;
                foreach (Guid[] segment in _segments) slots += segment.Length;
                return slots;
            }
        }

        /// <summary>Adds the value; false when it was already there.</summary>
        public bool Add(Guid value)
        {
            // Guid.Empty marks a free slot, so the (valid) all-zero face ID is kept aside.
            if (value == Guid.Empty)
            {
                if (_hasEmpty) return false;
                _hasEmpty = true;
                Count++;
                return true;
            }

            if (!InsertNew(Hash(value), value)) return false;
            Count++;
            return true;
        }

        private bool InsertNew(ulong hash, Guid value)
        {
            int segment = SegmentOf(hash);
            if (IsFull(_counts[segment] + 1, _segments[segment].Length))
            {
                Grow(segment);
                segment = SegmentOf(hash);
            }

            if (!Insert(_segments[segment], hash, value)) return false;
            _counts[segment]++;
            return true;
        }

        private static bool IsFull(int count, int slots) => count * 20L > slots * 17L;

        private int SegmentOf(ulong hash) => _segments.Length == 1 ? 0 : (int)(hash >> (64 - SegmentBits));

        private static bool Insert(Guid[] slots, ulong hash, Guid value)
        {
            // The low 32 bits scaled to the table's size (any size, not only powers of two).
            int i = (int)(((hash & 0xFFFFFFFFUL) * (ulong)slots.Length) >> 32);
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

        private void Grow(int segment)
        {
            Guid[] old = _segments[segment];
            int larger = old.Length + old.Length / 4;
            if (_segments.Length == 1 && larger > SplitAtSlots)
            {
                Split(old, larger);
                return;
            }

            var grown = new Guid[larger];
            foreach (Guid value in old)
                if (value != Guid.Empty) Insert(grown, Hash(value), value);
            _segments[segment] = grown;
        }

        // Together the segments have the slots one growth would have given, and each at least half as
        // many again as it takes (values whose hashes share their top bits may all go to one).
        private void Split(Guid[] single, int slots)
        {
            var counts = new int[SegmentCount];
            foreach (Guid value in single)
                if (value != Guid.Empty) counts[(int)(Hash(value) >> (64 - SegmentBits))]++;

            var segments = new Guid[SegmentCount][];
            for (int s = 0; s < SegmentCount; s++) segments[s] = new Guid[Math.Max(slots / SegmentCount + 1, counts[s] * 3 / 2 + 1)];
            foreach (Guid value in single)
            {
                if (value == Guid.Empty) continue;
                ulong hash = Hash(value);
                Insert(segments[(int)(hash >> (64 - SegmentBits))], hash, value);
            }

            _segments = segments;
            _counts = counts;
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
    }
}
