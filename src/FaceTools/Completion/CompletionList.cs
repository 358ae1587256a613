using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using FaceTools.Commands;
using FaceTools.Engine.Client;

namespace FaceTools.Completion
{
    /// <summary>
    /// What every FaceTools completer shares: the session it completes in, the parameters it reads (typed, or
    /// defaulted by $PSDefaultParameterValues), a time limit for anything that reads disk or network, and matching
    /// and quoting the values it offers.
    /// </summary>
    internal static class CompletionList
    {
        // What PowerShell takes as one bare argument; anything else is offered in single quotes.
        private static readonly Regex Bare = new Regex(@"^[\w.:/@+][\w.:/@+=-]*$", RegexOptions.CultureInvariant);

        /// <summary>The values that start with <paramref name="wordToComplete"/> (ignoring case and quotes), each with its tooltip.</summary>
        public static IEnumerable<CompletionResult> Matching(IEnumerable<KeyValuePair<string, string>> values, string wordToComplete)
        {
            string typed = (wordToComplete ?? "").Trim('\'', '"', '\u2018', '\u2019', '\u201A', '\u201B', '\u201C', '\u201D', '\u201E');
            var pattern = new WildcardPattern(WildcardPattern.Escape(typed) + "*", WildcardOptions.IgnoreCase);
            return values.Where(v => pattern.IsMatch(v.Key))
                .Select(v => new CompletionResult(Quote(v.Key), v.Key, CompletionResultType.ParameterValue, v.Value))
                .ToList();
        }

        public static IEnumerable<CompletionResult> Matching(IEnumerable<string> values, string wordToComplete) =>
            Matching(values.Select(v => new KeyValuePair<string, string>(v, v)), wordToComplete);

        /// <summary>
        /// The session the completion runs in. A completer runs inside the prompt's pipeline, where the runspace's
        /// SessionStateProxy refuses calls: a nested command on the same runspace reads it.
        /// </summary>
        public static EngineIntrinsics Session()
        {
            using (var shell = PowerShell.Create(RunspaceMode.CurrentRunspace))
            {
                shell.AddCommand(@"Microsoft.PowerShell.Utility\Get-Variable").AddParameter("Name", "ExecutionContext").AddParameter("ValueOnly");
                foreach (PSObject value in shell.Invoke())
                    if (value?.BaseObject is EngineIntrinsics engine) return engine;
            }

            throw new InvalidOperationException("The session of the completion could not be read.");
        }

        /// <summary>
        /// The parameters typed on the command line, and those $PSDefaultParameterValues gives the command and that are
        /// not typed, as the command itself would be bound (defaults computed by a script block are left out).
        /// </summary>
        public static IDictionary WithDefaults(string commandName, IDictionary typed, EngineIntrinsics session)
        {
            var bound = new Hashtable(StringComparer.OrdinalIgnoreCase);
            if (typed != null) foreach (DictionaryEntry entry in typed) bound[entry.Key] = entry.Value;
            object defaults = session.SessionState.PSVariable.GetValue("PSDefaultParameterValues");
            if (!(defaults is IDictionary table) || LanguagePrimitives.IsTrue(table["Disabled"])) return bound;
            foreach (DictionaryEntry entry in table)
            {
                string key = entry.Key as string;
                int colon = key?.LastIndexOf(':') ?? -1;
                if (colon <= 0 || entry.Value is ScriptBlock) continue;
                string parameter = key.Substring(colon + 1).Trim();
                if (bound.ContainsKey(parameter)) continue;
                if (new WildcardPattern(key.Substring(0, colon).Trim(), WildcardOptions.IgnoreCase).IsMatch(commandName ?? "")) bound[parameter] = entry.Value;
            }

            return bound;
        }

        /// <summary>
        /// The parameters of the command line being completed (<see cref="WithDefaults"/>) and the connection they make,
        /// its -ProfileLocation resolved as the cmdlet would. Read on the prompt's thread, which alone may read the
        /// session; the file is checked later, by <see cref="CheckProfileFile"/>, within a time limit.
        /// </summary>
        public static ConnectionSettings Connection(string commandName, IDictionary typed, out IDictionary bound)
        {
            EngineIntrinsics session = Session();
            bound = WithDefaults(commandName, typed, session);
            return ConnectionParameters.From(bound, 1, location => ConnectionParameters.ResolveProfilePath(session.SessionState.Path, location));
        }

        /// <summary>Refuses a -ProfileLocation that is no file, as the cmdlet would; reads the disk, so call it within <see cref="Within"/>.</summary>
        public static void CheckProfileFile(ConnectionSettings settings)
        {
            if (settings.ProfileLocation != null) settings.ProfileLocation = ConnectionParameters.CheckProfileFile(settings.ProfileLocation, settings.ProfileLocation);
        }

        /// <summary>
        /// Runs <paramref name="work"/> (reading files, maybe on a network share that does not answer) on another
        /// thread; the prompt waits for it at most <paramref name="patience"/>, then offers nothing.
        /// </summary>
        public static T Within<T>(Func<T> work, TimeSpan patience) where T : class
        {
            Task<T> task = Task.Run(work);
            return task.Wait(patience) ? task.Result : null;
        }

        private static string Quote(string value) =>
            Bare.IsMatch(value) ? value : "'" + CodeGeneration.EscapeSingleQuotedStringContent(value) + "'";
    }
}
