using System;
using System.Runtime.InteropServices;

namespace FaceTools.Engine.Batching
{
    /// <summary>
    /// A set of GUIDs in one flat array (16 bytes a slot, open addressing): the memory the batcher
    /// needs to recognise repeated face IDs is about half a HashSet&lt;Guid&gt;'s, which matters when
    /// millions of IDs stream through one command.
    /// </summary>
    internal sealed class GuidSet
    {
        private Guid[] _slots = new Guid[16];
        private bool _hasEmpty;

        public int Count { get; private set; }

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

            if ((Count + 1) * 4 > _slots.Length * 3) Grow();
            if (!Insert(_slots, value)) return false;
            Count++;
            return true;
        }

        private static bool Insert(Guid[] slots, Guid value)
        {
            int mask = slots.Length - 1;
            for (int i = Hash(value) & mask; ; i = (i + 1) & mask)
            {
                if (slots[i] == Guid.Empty)
                {
                    slots[i] = value;
                    return true;
                }

                if (slots[i] == value) return false;
            }
        }

        private void Grow()
        {
            var larger = new Guid[_slots.Length * 2];
            foreach (Guid value in _slots)
                if (value != Guid.Empty) Insert(larger, value);
            _slots = larger;
        }

        // Face IDs may be sequential or structured, so mix all 128 bits before taking the low ones.
        private static int Hash(Guid value)
        {
            var bits = new GuidBits { Value = value };
            ulong h = bits.High * 0x9E3779B97F4A7C15UL ^ bits.Low;
            h ^= h >> 33;
            h *= 0xFF51AFD7ED558CCDUL;
            h ^= h >> 33;
            return (int)(h & 0x7FFFFFFF);
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
