using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;
using Amazon.Runtime.Internal;
using FaceTools.Engine.Operations;

namespace FaceTools.Engine.Client
{
    /// <summary>The AWS common parameters every cmdlet takes, as plain values.</summary>
    public sealed class ConnectionSettings
    {
        public string Region { get; set; }
        public string ProfileName { get; set; }
        public string ProfileLocation { get; set; }
        public string AccessKey { get; set; }
        public string SecretKey { get; set; }
        public string SessionToken { get; set; }

        /// <summary>
        /// An AWSCredentials object. Typed as object: it may come from another copy of AWSSDK.Core
        /// (AWS Tools for PowerShell's), which is read through its public GetCredentials() method.
        /// </summary>
        public object Credential { get; set; }

        public string EndpointUrl { get; set; }
        public int? TimeoutSec { get; set; }

        /// <summary>How many requests may be in flight at once; sizes the connection pool.</summary>
        public int MaxConcurrency { get; set; } = 4;
    }

    /// <summary>
    /// Resolves credentials and region as AWS Tools for PowerShell does, and keeps one client per
    /// endpoint, region and identity for the whole session so connections are reused across calls.
    /// </summary>
    public static class RekognitionClients
    {
        // A session that changes credentials often (rotating session tokens, a new -Credential object each time)
        // would otherwise keep every client, and its credentials, for good: past this many, the least recently
        // used go. A command that still holds one goes on with it.
        internal const int MaxClients = 32;

        private sealed class CachedClient
        {
            public RekognitionApi Api;
            public long LastUsed;
        }

        private static readonly ConcurrentDictionary<string, CachedClient> Cache =
            new ConcurrentDictionary<string, CachedClient>(StringComparer.Ordinal);
        private static long _uses;

        // Identities for credentials objects, which compare by reference: no two live objects share one.
        private static readonly ConditionalWeakTable<object, string> CredentialIds = new ConditionalWeakTable<object, string>();
        private static long _nextCredentialId;

        // Everything outside the parameters that credential, region and retry resolution read.
        private static readonly string[] ResolutionVariables =
        {
            "AWS_ACCESS_KEY_ID", "AWS_ACCESS_KEY", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION",
            "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE", "AWS_MAX_ATTEMPTS", "AWS_RETRY_MODE", "AWS_EC2_METADATA_DISABLED",
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN",
        };

        /// <summary>
        /// The session's client for these settings. The cache key is made from the inputs of resolution
        /// (parameters, environment, the shared files' content), so a repeated call resolves nothing again.
        /// </summary>
        public static RekognitionApi Get(ConnectionSettings settings)
        {
            if (settings == null) throw new ArgumentNullException(nameof(settings));
            settings.EndpointUrl = ConfiguredEndpoint(settings.EndpointUrl);
            string key = KeyFor(settings);
            if (!Cache.TryGetValue(key, out CachedClient cached))
            {
                // Failures are not cached: the next call tries again.
                // Marked used before the cache is trimmed, so the new client is never the one dropped.
                cached = Cache.GetOrAdd(key, new CachedClient { Api = Create(settings), LastUsed = Interlocked.Increment(ref _uses) });
                if (Cache.Count > MaxClients) DropLeastRecentlyUsed();
            }

            cached.LastUsed = Interlocked.Increment(ref _uses);
            return cached.Api;
        }

        /// <summary>How many clients the session keeps (for tests).</summary>
        internal static int CachedClients => Cache.Count;

        private static void DropLeastRecentlyUsed()
        {
            while (Cache.Count > MaxClients)
            {
                KeyValuePair<string, CachedClient> oldest = default;
                foreach (var entry in Cache)
                    if (oldest.Value == null || entry.Value.LastUsed < oldest.Value.LastUsed) oldest = entry;
                if (oldest.Value == null || !Cache.TryRemove(oldest.Key, out _)) return;
            }
        }

        private static RekognitionApi Create(ConnectionSettings settings)
        {
            ValidateEndpoint(settings.EndpointUrl);
            var (credentials, profile) = ResolveCredentials(settings);
            RegionEndpoint region = ResolveRegion(settings, profile);

            // AWSSDK.Core reads AWS_MAX_ATTEMPTS, AWS_RETRY_MODE and the profile's settings once per
            // process; re-read them for each new client so a changed environment takes effect.
            FallbackInternalConfigurationFactory.Reset();
            var config = new RekognitionClientConfig
            {
                RegionEndpoint = region,
                MaxConnectionsPerServer = ConnectionsFor(settings),
                // Rekognition never redirects: a 3xx comes from a proxy or a wrong endpoint, and following
                // it would send the request's body to wherever it points. It is reported as an error instead.
                AllowAutoRedirect = false,
            };
            if (profile != null) config.Profile = new Profile(profile.Name, profile.Location);
            if (!string.IsNullOrEmpty(settings.EndpointUrl))
            {
                config.ServiceURL = settings.EndpointUrl;
                config.AuthenticationRegion = region.SystemName;
            }

            if (settings.TimeoutSec.HasValue) config.Timeout = TimeSpan.FromSeconds(settings.TimeoutSec.Value);
#if NET8_0_OR_GREATER
            // One request at a time: each answer is handled on its connection's own thread rather than on the pool,
            // whose thread spins after every answer (see ReaderThreadStream). With several in flight, the pool's
            // threads find the next answer as they finish one, and dedicated threads cost more CPU than they save.
            if (Sequential(settings)) config.HttpClientFactory = ReaderThreadHttpClientFactory.Instance;
#endif
            return new RekognitionApi(new RekognitionServiceClient(credentials, config));
        }

        private static int ConnectionsFor(ConnectionSettings settings) => Math.Max(settings.MaxConcurrency, 4);

        private static bool Sequential(ConnectionSettings settings) => settings.MaxConcurrency == 1;

        private static string KeyFor(ConnectionSettings s)
        {
            var key = new StringBuilder(256);
            string credentialsFile = CredentialsFile(s);
            foreach (string part in new[]
            {
                s.EndpointUrl, s.Region, s.ProfileName, s.ProfileLocation, s.AccessKey,
                Fingerprint(s.SecretKey + "\n" + s.SessionToken),
                s.Credential == null ? "" : CredentialIds.GetValue(s.Credential, _ => "c" + Interlocked.Increment(ref _nextCredentialId)),
                s.TimeoutSec?.ToString(CultureInfo.InvariantCulture), ConnectionsFor(s).ToString(CultureInfo.InvariantCulture), Sequential(s) ? "sequential" : "",
                Fingerprint(Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY") + "\n" + Environment.GetEnvironmentVariable("AWS_SECRET_KEY") + "\n" + Environment.GetEnvironmentVariable("AWS_SESSION_TOKEN")),
                ContentOf(credentialsFile),
                ContentOf(Variable("AWS_CONFIG_FILE") ?? HomeFile("config")),
                // The SDK also reads a config file beside a credentials file that is not the home one.
                credentialsFile == HomeFile("credentials") ? "" : ContentOf(Path.Combine(Path.GetDirectoryName(credentialsFile) ?? "", "config")),
            })
            {
                key.Append(part).Append('|');
            }

            foreach (string name in ResolutionVariables) key.Append(Environment.GetEnvironmentVariable(name)).Append('|');
            return key.ToString();
        }

        private static string HomeFile(string name)
        {
            // An empty variable counts as unset, as for the AWS SDKs (PowerShell's [Environment]::SetEnvironmentVariable(name, $null) leaves one).
            string home = Variable("HOME") ?? Variable("USERPROFILE");
            return home == null ? null : Path.Combine(home, ".aws", name);
        }

        private static string CredentialsFile(ConnectionSettings s) => NullIfEmpty(s.ProfileLocation) ?? Variable("AWS_SHARED_CREDENTIALS_FILE") ?? HomeFile("credentials") ?? "";

        // A fingerprint of a shared file's content (they are small): a change shows even through a symbolic link, or
        // within the file system's timestamp resolution.
        private static string ContentOf(string path)
        {
            try
            {
                return !string.IsNullOrEmpty(path) && File.Exists(path) ? Fingerprint(File.ReadAllText(path)) : "-";
            }
            catch (Exception exception) when (exception is IOException || exception is UnauthorizedAccessException || exception is ArgumentException)
            {
                return "?";
            }
        }

        /// <summary>
        /// The explicit endpoint, else the AWS SDKs' configured-endpoint variables
        /// (AWS_ENDPOINT_URL_REKOGNITION, then AWS_ENDPOINT_URL) unless AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is true.
        /// </summary>
        public static string ConfiguredEndpoint(string explicitEndpoint)
        {
            if (!string.IsNullOrWhiteSpace(explicitEndpoint)) return explicitEndpoint;
            if (string.Equals(Variable("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"), "true", StringComparison.OrdinalIgnoreCase)) return null;
            return Variable("AWS_ENDPOINT_URL_REKOGNITION") ?? Variable("AWS_ENDPOINT_URL");
        }

        /// <summary>Forgets every cached client (for tests, and after credentials change).</summary>
        public static void Clear() => Cache.Clear();

        private static void ValidateEndpoint(string endpointUrl)
        {
            if (string.IsNullOrEmpty(endpointUrl)) return;
            if (!Uri.TryCreate(endpointUrl, UriKind.Absolute, out Uri uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                throw new RekognitionException(ErrorCodes.InvalidConfiguration,
                    $"EndpointUrl '{Redacted(endpointUrl)}' is not an absolute http:// or https:// URL.");
        }

        /// <summary>An endpoint as messages show it: a user name and password in it are replaced by "***".</summary>
        public static string Redacted(string url)
        {
            if (string.IsNullOrEmpty(url)) return url;
            int scheme = url.IndexOf("://", StringComparison.Ordinal);
            int start = scheme < 0 ? 0 : scheme + 3;
            int end = url.IndexOfAny(new[] { '/', '?', '#' }, start);
            int last = end < 0 ? url.Length - 1 : end - 1;
            int at = last < start ? -1 : url.LastIndexOf('@', last, last - start + 1);
            return at < start ? url : url.Substring(0, start) + "***" + url.Substring(at);
        }

        /// <summary>Whether an endpoint sends signed requests unencrypted to another machine.</summary>
        public static bool IsUnencryptedRemoteEndpoint(string endpointUrl)
        {
            if (string.IsNullOrEmpty(endpointUrl) || !Uri.TryCreate(endpointUrl, UriKind.Absolute, out Uri uri)) return false;
            return uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback;
        }

        private sealed class ProfileRef
        {
            public string Name;
            public string Location;
        }

        private static (AWSCredentials credentials, ProfileRef profile) ResolveCredentials(ConnectionSettings s)
        {
            bool hasAccessKey = !string.IsNullOrEmpty(s.AccessKey), hasSecretKey = !string.IsNullOrEmpty(s.SecretKey);
            if (hasAccessKey != hasSecretKey)
                throw new RekognitionException(ErrorCodes.InvalidConfiguration,
                    "AccessKey and SecretKey must be given together (SessionToken is optional with them).");
            if (!hasAccessKey && !string.IsNullOrEmpty(s.SessionToken))
                throw new RekognitionException(ErrorCodes.InvalidConfiguration,
                    "SessionToken goes with AccessKey and SecretKey: give all three, or none.");

            // 1. Explicit keys.
            if (hasAccessKey)
            {
                return (Keys(s.AccessKey, s.SecretKey, s.SessionToken), ProfileFor(s));
            }

            // 2. A profile: -ProfileName, or with -ProfileLocation alone AWS_PROFILE or 'default' in that file.
            ProfileRef named = string.IsNullOrEmpty(s.ProfileName) && string.IsNullOrEmpty(s.ProfileLocation) ? null : ProfileFor(s);
            if (named != null) return (FromProfile(named, "", required: true), named);

            // 3. A credentials object.
            if (s.Credential != null)
            {
                AWSCredentials fromObject = FromCredentialObject(s.Credential);
                return (fromObject, ProfileFor(s));
            }

            // 4. The environment's keys, as they are now: a change of them makes a new client (they are part of its key).
            string accessKey = Variable("AWS_ACCESS_KEY_ID") ?? Variable("AWS_ACCESS_KEY");
            string secretKey = Variable("AWS_SECRET_ACCESS_KEY") ?? Variable("AWS_SECRET_KEY");
            if (accessKey != null && secretKey != null) return (Keys(accessKey, secretKey, Variable("AWS_SESSION_TOKEN")), null);

            // 5. The profile AWS_PROFILE names (it must exist), else the default profile if there is one. Read here from
            // the files as they are now; AWSSDK.Core's own chain would keep what it read first for the whole session.
            string selected = Variable("AWS_PROFILE");
            var inUse = new ProfileRef { Name = SelectedProfileName };
            AWSCredentials fromFiles = FromProfile(inUse, selected != null ? " (named by AWS_PROFILE)" : "", required: selected != null);
            if (fromFiles != null) return (fromFiles, null);

            // 6. Web identity, container and instance credentials.
            try
            {
                return (DefaultAWSCredentialsIdentityResolver.GetCredentials(null), null);
            }
            catch (Exception exception) when (exception is AmazonClientException || exception is AmazonServiceException)
            {
                throw new RekognitionException(ErrorCodes.NoCredentials,
                    "No AWS credentials were found. Pass -ProfileName (or -AccessKey and -SecretKey), or set AWS_ACCESS_KEY_ID and " +
                    "AWS_SECRET_ACCESS_KEY (or AWS_PROFILE), or configure a default profile in the shared credentials file.");
            }
        }

        /// <summary>
        /// A profile's credentials, checked now, so that a profile FaceTools cannot use is a configuration error before
        /// any request, naming the profile: null when it is not there and not <paramref name="required"/>.
        /// </summary>
        private static AWSCredentials FromProfile(ProfileRef profile, string how, bool required)
        {
            string where = profile.Location == null ? "the shared credentials and config files" : $"'{profile.Location}'";
            if (!TryGetProfile(profile, out CredentialProfile found))
            {
                if (!required) return null;
                throw new RekognitionException(ErrorCodes.ProfileNotFound, $"No credential profile named '{profile.Name}'{how} was found in {where}.");
            }

            // A default profile that only sets a region (say) leaves the credentials to the next source.
            CredentialProfileOptions options = found.Options;
            if (!required && string.IsNullOrEmpty(options.AccessKey) && string.IsNullOrEmpty(options.SecretKey) && string.IsNullOrEmpty(options.CredentialProcess) &&
                string.IsNullOrEmpty(options.RoleArn) && string.IsNullOrEmpty(options.SsoStartUrl) && string.IsNullOrEmpty(options.SsoSession))
                return null;

            string unusable = UnusableBecause(options, profile.Name);
            if (unusable != null) throw new RekognitionException(ErrorCodes.InvalidConfiguration, $"The profile '{profile.Name}'{how} {unusable}");

            AWSCredentials credentials;
            try
            {
                credentials = found.GetAWSCredentials(found.CredentialProfileStore);
                credentials.GetCredentials();
            }
            catch (Exception exception) when (!(exception is RekognitionException))
            {
                // The SDK's message may quote the profile's credential_process command line: it is not repeated.
                throw new RekognitionException(ErrorCodes.InvalidConfiguration,
                    $"The credentials of the profile '{profile.Name}'{how} could not be read ({exception.GetType().Name})" +
                    (options.CredentialProcess != null ? "; run its credential_process command yourself to see why." : "."));
            }

            return credentials;
        }

        // What FaceTools cannot do with a profile: it ships AWSSDK.Core alone, without the STS and SSO packages.
        private static string UnusableBecause(CredentialProfileOptions options, string name)
        {
            string export = $" Get credentials for it first (for example with `aws configure export-credentials --profile {name} --format powershell`, or Get-AWSCredential), " +
                            "then pass them with -Credential or the AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN variables.";
            if (!string.IsNullOrEmpty(options.SsoStartUrl) || !string.IsNullOrEmpty(options.SsoSession))
                return "signs in through IAM Identity Center (sso_*), which FaceTools does not do itself." + export;
            if (!string.IsNullOrEmpty(options.RoleArn))
                return "assumes a role (role_arn), which FaceTools does not do itself." + export;
            if (string.IsNullOrEmpty(options.CredentialProcess) && (string.IsNullOrEmpty(options.AccessKey) || string.IsNullOrEmpty(options.SecretKey)))
                return "has no credentials: it needs aws_access_key_id and aws_secret_access_key (and aws_session_token for temporary keys), or credential_process.";
            return null;
        }

        // The shared files as they are now; a set AWS_SHARED_CREDENTIALS_FILE is honoured even if it changed in the session.
        private static bool TryGetProfile(ProfileRef profile, out CredentialProfile found) =>
            ProfileStore(profile.Location).TryGetProfile(profile.Name, out found);

        private static CredentialProfileStoreChain ProfileStore(string profileLocation) =>
            new CredentialProfileStoreChain(NullIfEmpty(profileLocation) ?? Variable("AWS_SHARED_CREDENTIALS_FILE"));

        /// <summary>
        /// The names of the profiles in the shared credentials and config files (in <paramref name="profileLocation"/>
        /// when given), as -ProfileName would find them; sorted, without repeats. Nothing else of a profile is read out.
        /// </summary>
        public static IReadOnlyList<string> ProfileNames(string profileLocation)
        {
            var names = new SortedSet<string>(StringComparer.Ordinal);
            foreach (CredentialProfile profile in ProfileStore(profileLocation).ListProfiles()) names.Add(profile.Name);
            return new List<string>(names);
        }

        /// <summary>The regions AWSSDK.Core knows, by system name (us-east-1), with their display names.</summary>
        public static IReadOnlyList<KeyValuePair<string, string>> KnownRegions()
        {
            var regions = new List<KeyValuePair<string, string>>();
            foreach (RegionEndpoint region in RegionEndpoint.EnumerableAllRegions)
                // us-east-1-regional is AWSSDK.Core's name for S3's regional endpoint in us-east-1, not a region.
                if (!region.SystemName.EndsWith("-regional", StringComparison.Ordinal))
                    regions.Add(new KeyValuePair<string, string>(region.SystemName, region.DisplayName));
            regions.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
            return regions;
        }

        private static string Variable(string name) => NullIfEmpty(Environment.GetEnvironmentVariable(name));

        // The profile in use when no parameter names one.
        private static string SelectedProfileName => Variable("AWS_PROFILE") ?? "default";

        private static AWSCredentials Keys(string accessKey, string secretKey, string sessionToken) =>
            string.IsNullOrEmpty(sessionToken)
                ? (AWSCredentials)new BasicAWSCredentials(accessKey, secretKey)
                : new SessionAWSCredentials(accessKey, secretKey, sessionToken);

        private static ProfileRef ProfileFor(ConnectionSettings s)
        {
            string name = NullIfEmpty(s.ProfileName) ?? (string.IsNullOrEmpty(s.ProfileLocation) ? null : SelectedProfileName);
            return name == null ? null : new ProfileRef { Name = name, Location = NullIfEmpty(s.ProfileLocation) };
        }

        private static AWSCredentials FromCredentialObject(object credential)
        {
            if (credential is AWSCredentials ours) return ours;

            // Another AWSSDK.Core's AWSCredentials (AWS Tools for PowerShell's): read through its public surface on
            // every use, so that credentials it refreshes (an assumed role's, say) stay current. Read once now, so a
            // bad object is an error before any request.
            MethodInfo getCredentials = credential.GetType().GetMethod("GetCredentials", Type.EmptyTypes);
            var foreign = new ForeignCredentials(credential, getCredentials);
            foreign.GetCredentials();
            return foreign;
        }

        private sealed class ForeignCredentials : AWSCredentials
        {
            private readonly object _source;
            private readonly MethodInfo _getCredentials;

            public ForeignCredentials(object source, MethodInfo getCredentials)
            {
                _source = source;
                _getCredentials = getCredentials;
            }

            public override ImmutableCredentials GetCredentials()
            {
                object immutable;
                try
                {
                    immutable = _getCredentials?.Invoke(_source, null);
                }
                catch (TargetInvocationException exception)
                {
                    throw new RekognitionException(ErrorCodes.InvalidConfiguration,
                        $"The Credential object ({_source.GetType().FullName}) could not give its credentials: {(exception.InnerException ?? exception).Message}");
                }

                string accessKey = ReadString(immutable, "AccessKey");
                string secretKey = ReadString(immutable, "SecretKey");
                if (string.IsNullOrEmpty(accessKey) || string.IsNullOrEmpty(secretKey))
                    throw new RekognitionException(ErrorCodes.InvalidConfiguration,
                        $"Credential must be an AWSCredentials object (for example from Get-AWSCredential); a {_source.GetType().FullName} has no keys.");
                return new ImmutableCredentials(accessKey, secretKey, ReadString(immutable, "Token"));
            }
        }

        private static string ReadString(object source, string property) =>
            source?.GetType().GetProperty(property)?.GetValue(source) as string;

        private static RegionEndpoint ResolveRegion(ConnectionSettings s, ProfileRef profile)
        {
            string name = null, source = null;
            foreach (var (value, from) in new[]
                     {
                         (s.Region, "-Region"),
                         (Variable("AWS_REGION"), "AWS_REGION"),
                         (Variable("AWS_DEFAULT_REGION"), "AWS_DEFAULT_REGION"),
                     })
            {
                if (NullIfEmpty(value) == null) continue;
                name = value.Trim();
                source = from;
                break;
            }

            // The profile in use: the one named, else AWS_PROFILE's, else the default one, read from the files as they are now.
            ProfileRef inUse = profile ?? new ProfileRef { Name = SelectedProfileName };
            if (name == null && TryGetProfile(inUse, out CredentialProfile found) && found.Region != null)
            {
                name = found.Region.SystemName;
                source = $"the profile '{inUse.Name}'";
            }

            // AWSSDK.Core would throw its own exception type, with no word of where the name came from.
            if (name != null && !IsRegionName(name))
                throw new RekognitionException(ErrorCodes.InvalidConfiguration,
                    $"The region '{name}' from {source} is not a region name: a region name is lower-case letters and digits in parts joined by single hyphens, for example us-east-1.");

            // Last, an EC2 instance's own region (not another profile's, as AWSSDK.Core's fallback would give).
            if (name == null && !string.Equals(Variable("AWS_EC2_METADATA_DISABLED"), "true", StringComparison.OrdinalIgnoreCase))
            {
                try
                {
                    name = Amazon.Util.EC2InstanceMetadata.Region?.SystemName;
                }
                catch (Exception exception) when (exception is AmazonClientException || exception is InvalidOperationException || exception is IOException)
                {
                    name = null;
                }
            }

            if (name == null)
                throw new RekognitionException(ErrorCodes.NoRegion,
                    "No AWS region was found. Pass -Region (for example -Region us-east-1), set AWS_REGION or AWS_DEFAULT_REGION, " +
                    "or set 'region' in your profile in the shared config file.");
            return RegionEndpoint.GetBySystemName(name);
        }

        private static string NullIfEmpty(string value) => string.IsNullOrWhiteSpace(value) ? null : value;

        private static bool IsRegionName(string name)
        {
            if (name.Length == 0 || name[0] == '-' || name[name.Length - 1] == '-') return false;
            for (int i = 0; i < name.Length; i++)
            {
                char c = name[i];
                bool letterOrDigit = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
                if (!letterOrDigit && !(c == '-' && name[i - 1] != '-')) return false;
            }

            return true;
        }

        /// <summary>A one-way fingerprint, so no secret is kept as a cache key.</summary>
        private static string Fingerprint(string secret)
        {
            using (var sha = SHA256.Create())
                return Convert.ToBase64String(sha.ComputeHash(Encoding.UTF8.GetBytes(secret ?? "")));
        }
    }
}
