using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using FaceTools.Engine.Client;

namespace FaceTools.Completion
{
    /// <summary>Completes -Region from the regions AWSSDK.Core knows; each region's name is its tooltip.</summary>
    public sealed class RegionCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            CompletionList.Matching(RekognitionClients.KnownRegions(), wordToComplete);
    }

    /// <summary>
    /// Completes -ProfileName from the profiles in the shared credentials and config files, or in the -ProfileLocation
    /// typed (or defaulted). Only names are read out; a file that cannot be read in a few seconds completes nothing.
    /// </summary>
    public sealed class ProfileNameCompleter : IArgumentCompleter
    {
        private static readonly TimeSpan Patience = TimeSpan.FromSeconds(3);

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            try
            {
                ConnectionSettings settings = CompletionList.Connection(commandName, fakeBoundParameters, out _);
                IReadOnlyList<string> names = CompletionList.Within(() =>
                {
                    CompletionList.CheckProfileFile(settings);
                    return RekognitionClients.ProfileNames(settings.ProfileLocation);
                }, Patience);
                return names == null ? Enumerable.Empty<CompletionResult>() : CompletionList.Matching(names, wordToComplete);
            }
            catch (Exception)
            {
                // Completion must never print or throw.
                return Enumerable.Empty<CompletionResult>();
            }
        }
    }
}
