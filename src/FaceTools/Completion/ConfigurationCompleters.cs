using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using FaceTools.Commands;
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
    /// already typed. Only names are read out; an unreadable file completes nothing.
    /// </summary>
    public sealed class ProfileNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            try
            {
                string location = ConnectionParameters.Text(fakeBoundParameters, "ProfileLocation") is string typed ? CompletionList.ProfileFile(typed) : null;
                return CompletionList.Matching(RekognitionClients.ProfileNames(location), wordToComplete);
            }
            catch (System.Exception)
            {
                // Completion must never print or throw.
                return Enumerable.Empty<CompletionResult>();
            }
        }
    }
}
