using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using FaceTools.Commands;

namespace FaceTools.Completion
{
    /// <summary>What every FaceTools completer does with its values: match what is typed, and quote where PowerShell needs it.</summary>
    internal static class CompletionList
    {
        private static readonly char[] NeedQuotes = { ' ', '\'', '"', '$', '`', ';', '(', ')', '{', '}', '@', '#', ',' };

        /// <summary>The values that start with <paramref name="wordToComplete"/> (ignoring case and quotes), each with its tooltip.</summary>
        public static IEnumerable<CompletionResult> Matching(IEnumerable<KeyValuePair<string, string>> values, string wordToComplete)
        {
            string typed = (wordToComplete ?? "").Trim('\'', '"');
            var pattern = new WildcardPattern(WildcardPattern.Escape(typed) + "*", WildcardOptions.IgnoreCase);
            return values.Where(v => pattern.IsMatch(v.Key))
                .Select(v => new CompletionResult(Quote(v.Key), v.Key, CompletionResultType.ParameterValue, v.Value))
                .ToList();
        }

        public static IEnumerable<CompletionResult> Matching(IEnumerable<string> values, string wordToComplete) =>
            Matching(values.Select(v => new KeyValuePair<string, string>(v, v)), wordToComplete);

        /// <summary>The -ProfileLocation typed on the command line, resolved as the cmdlet would; throws as it would.</summary>
        public static string ProfileFile(string location) =>
            ConnectionParameters.ProfileFile(CurrentPaths(), location);

        // A completer runs inside the prompt's pipeline, where the runspace's SessionStateProxy refuses calls: a nested
        // command on the same runspace reads its session state.
        private static PathIntrinsics CurrentPaths()
        {
            using (var shell = PowerShell.Create(RunspaceMode.CurrentRunspace))
            {
                shell.AddCommand(@"Microsoft.PowerShell.Utility\Get-Variable").AddParameter("Name", "ExecutionContext").AddParameter("ValueOnly");
                foreach (PSObject value in shell.Invoke())
                    if (value?.BaseObject is EngineIntrinsics engine) return engine.SessionState.Path;
            }

            throw new InvalidOperationException("The session's current location could not be read.");
        }

        private static string Quote(string value) =>
            value.IndexOfAny(NeedQuotes) >= 0 ? "'" + value.Replace("'", "''") + "'" : value;
    }
}
