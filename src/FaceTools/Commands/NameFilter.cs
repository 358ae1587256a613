using System;
using System.Management.Automation;

namespace FaceTools.Commands
{
    /// <summary>
    /// One value of a name parameter that supports wildcards: a pattern matches ignoring case, as PowerShell's
    /// patterns do; a name without wildcards matches only itself, exactly, because the service's IDs are
    /// case-sensitive (alice and Alice are two users).
    /// </summary>
    internal sealed class NameFilter
    {
        private readonly WildcardPattern _pattern;
        private readonly string _literal;

        public NameFilter(string text)
        {
            Text = text;
            IsLiteral = !WildcardPattern.ContainsWildcardCharacters(text);
            if (IsLiteral) _literal = WildcardPattern.Unescape(text);
            else _pattern = new WildcardPattern(text, WildcardOptions.IgnoreCase);
        }

        /// <summary>The value as given.</summary>
        public string Text { get; }

        public bool IsLiteral { get; }

        public bool IsMatch(string name) =>
            IsLiteral ? string.Equals(name, _literal, StringComparison.Ordinal) : _pattern.IsMatch(name);
    }
}
