using System;
using System.Collections;
using System.Collections.Generic;

namespace FaceTools
{
    /// <summary>
    /// A result's reasons: a read-only list of the service's codes, such as FACE_NOT_FOUND. As text (in Export-Csv,
    /// for one) it reads as the codes joined with ", ", where a string array would read "System.String[]".
    /// </summary>
    public sealed class ReasonList : IReadOnlyList<string>
    {
        public static readonly ReasonList None = new ReasonList(Array.Empty<string>());

        private readonly string[] _reasons;

        /// <param name="reasons">Copied: the list does not change with the array.</param>
        public ReasonList(string[] reasons)
        {
            _reasons = reasons == null ? Array.Empty<string>() : (string[])reasons.Clone();
        }

        public static ReasonList From(string[] reasons) => reasons == null || reasons.Length == 0 ? None : new ReasonList(reasons);

        public string this[int index] => _reasons[index];

        public int Count => _reasons.Length;

        public IEnumerator<string> GetEnumerator() => ((IEnumerable<string>)_reasons).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => string.Join(", ", _reasons);

        public static implicit operator ReasonList(string[] reasons) => From(reasons);

        public static implicit operator ReasonList(string reason) => reason == null ? None : new ReasonList(new[] { reason });

        // What PowerShell makes of @('A', 'B').
        public static implicit operator ReasonList(object[] reasons) =>
            reasons == null ? None : From(Array.ConvertAll(reasons, reason => reason?.ToString()));
    }
}
