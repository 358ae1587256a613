using System;
using System.Collections;
using System.Management.Automation;
using FaceTools.Engine.Client;

namespace FaceTools.Commands
{
    /// <summary>
    /// The AWS common parameters, read from a bound-parameters dictionary: the cmdlets' own
    /// (MyInvocation.BoundParameters) and the tab completers' (fakeBoundParameters) alike.
    /// </summary>
    internal static class ConnectionParameters
    {
        /// <param name="resolvePath">Resolves -ProfileLocation against PowerShell's current location (not the process's).</param>
        public static ConnectionSettings From(IDictionary bound, int maxConcurrency, Func<string, string> resolvePath)
        {
            return new ConnectionSettings
            {
                Region = Text(bound, "Region"),
                ProfileName = Text(bound, "ProfileName"),
                ProfileLocation = Text(bound, "ProfileLocation") is string location ? resolvePath(location) : null,
                AccessKey = Text(bound, "AccessKey"),
                SecretKey = Text(bound, "SecretKey"),
                SessionToken = Text(bound, "SessionToken"),
                Credential = Unwrap(bound, "Credential"),
                EndpointUrl = Text(bound, "EndpointUrl"),
                TimeoutSec = Unwrap(bound, "TimeoutSec") is int seconds ? seconds : (int?)null,
                MaxConcurrency = maxConcurrency,
            };
        }

        /// <summary>
        /// -ProfileLocation as a file system path: relative to PowerShell's current location (not the process's), with ~
        /// expanded, as for any path parameter.
        /// </summary>
        public static string ProfileFile(PathIntrinsics paths, string location)
        {
            string resolved;
            ProviderInfo provider;
            try
            {
                resolved = paths.GetUnresolvedProviderPathFromPSPath(location, out provider, out PSDriveInfo _);
            }
            catch (Exception exception) when (exception is SessionStateException || exception is NotSupportedException || exception is ArgumentException)
            {
                throw NotAFile(location, exception.Message);
            }

            return provider.Name == "FileSystem" ? resolved : throw NotAFile(location, $"It is a path of the {provider.Name} provider.");
        }

        private static RekognitionException NotAFile(string location, string why) =>
            new RekognitionException(ErrorCodes.InvalidConfiguration, $"-ProfileLocation '{location}' must name a file in the file system. {why}");

        private static object Unwrap(IDictionary bound, string name)
        {
            object value = bound != null && bound.Contains(name) ? bound[name] : null;
            return value is PSObject wrapped ? wrapped.BaseObject : value;
        }

        public static string Text(IDictionary bound, string name) => Unwrap(bound, name) as string;
    }
}
