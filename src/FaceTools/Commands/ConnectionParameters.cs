using System;
using System.Collections;
using System.IO;
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
        /// -ProfileLocation as the file it names: <see cref="ResolveProfilePath"/>, then <see cref="CheckProfileFile"/>.
        /// </summary>
        public static string ProfileFile(PathIntrinsics paths, string location) =>
            CheckProfileFile(location, ResolveProfilePath(paths, location));

        /// <summary>
        /// -ProfileLocation as a file system path: relative to PowerShell's current location (not the process's), with
        /// ~ as the home folder wherever the current location is. A full path is taken as it is where no FileSystem
        /// provider can resolve it (a restricted runspace). Reads nothing from the disk.
        /// </summary>
        public static string ResolveProfilePath(PathIntrinsics paths, string location)
        {
            string path = location;
            if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal) || path.StartsWith("~\\", StringComparison.Ordinal))
                path = System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.Substring(Math.Min(2, path.Length)));
            try
            {
                string resolved = paths.GetUnresolvedProviderPathFromPSPath(path, out ProviderInfo provider, out PSDriveInfo _);
                return provider.Name == "FileSystem" ? resolved : throw NotAFile(location, $"It is a path of the {provider.Name} provider.");
            }
            catch (Exception exception) when (exception is SessionStateException || exception is NotSupportedException || exception is ArgumentException ||
                                              exception is PSInvalidOperationException || exception is ProviderInvocationException)
            {
                if (System.IO.Path.IsPathRooted(path)) return path;
                throw NotAFile(location, exception.Message);
            }
        }

        /// <summary>
        /// The resolved -ProfileLocation, if it is a file. A folder or a missing file is refused by name: AWSSDK.Core
        /// would otherwise say only that the profile is not there, or read the config file beside a mistyped name. A
        /// path that PowerShell's own completion escaped (cr`[1`]) names the file without the escapes.
        /// </summary>
        public static string CheckProfileFile(string location, string resolved)
        {
            if (File.Exists(resolved)) return resolved;
            string unescaped = WildcardPattern.Unescape(resolved);
            if (unescaped != resolved && File.Exists(unescaped)) return unescaped;
            if (Directory.Exists(resolved)) throw NotAFile(location, "It is a folder: name the credentials file in it.");
            throw NotAFile(location, "There is no such file.");
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
