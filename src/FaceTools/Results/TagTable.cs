using System;
using System.Collections;
using System.Linq;

namespace FaceTools
{
    /// <summary>
    /// A collection's tags: a hashtable of keys and values, which as text (in Export-Csv, for one) reads as its pairs,
    /// sorted by key and joined with "; ", where a plain hashtable would read "System.Collections.Hashtable".
    /// </summary>
    public sealed class TagTable : Hashtable
    {
        public TagTable()
        {
        }

        public TagTable(IDictionary tags)
            : base(tags)
        {
        }

        public override string ToString() =>
            string.Join("; ", Keys.Cast<object>().OrderBy(key => key.ToString(), StringComparer.Ordinal).Select(key => $"{key}={this[key]}"));
    }
}
