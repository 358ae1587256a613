using System;
using System.Collections.Concurrent;
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
        private static readonly ConcurrentDictionary<string, RekognitionApi> Cache =
            new ConcurrentDictionary<string, RekognitionApi>(StringComparer.Ordinal);

        // Identities for credentials objects, which compare by reference: no two live objects share one.
        private static readonly ConditionalWeakTable<object, string> CredentialIds = new ConditionalWeakTable<object, string>();
        private static long _nextCredentialId;

        // Everything outside the parameters that credential, region and retry resolution read.
        private static readonly string[] ResolutionVariables =
        {
            "AWS_ACCESS_KEY_ID", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION",
            "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE", "AWS_MAX_ATTEMPTS", "AWS_RETRY_MODE", "AWS_EC2_METADATA_DISABLED",
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN",
        };

        /// <summary>
        /// The session's client for these settings. The cache key is made from the inputs of resolution
        /// (parameters, environment, profile files' times), so a repeated call resolves nothing again.
        /// </summary>
        public static RekognitionApi Get(ConnectionSettings settings)
        {
            if (settings == null) throw new ArgumentNullException(nameof(settings));
            settings.EndpointUrl = ConfiguredEndpoint(settings.EndpointUrl);
            string key = KeyFor(settings);
            if (Cache.TryGetValue(key, out RekognitionApi cached)) return cached;

            // Failures are not cached: the next call tries again.
            return Cache.GetOrAdd(key, Create(settings));
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
            return new RekognitionApi(new RekognitionServiceClient(credentials, config));
        }

        private static int ConnectionsFor(ConnectionSettings settings) => Math.Max(settings.MaxConcurrency, 4);

        private static string KeyFor(ConnectionSettings s)
        {
            var key = new StringBuilder(256);
            foreach (string part in new[]
            {
                s.EndpointUrl, s.Region, s.ProfileName, s.ProfileLocation, s.AccessKey,
                Fingerprint(s.SecretKey + "\n" + s.SessionToken),
                s.Credential == null ? "" : CredentialIds.GetValue(s.Credential, _ => "c" + Interlocked.Increment(ref _nextCredentialId)),
                s.TimeoutSec?.ToString(CultureInfo.InvariantCulture), ConnectionsFor(s).ToString(CultureInfo.InvariantCulture),
                Fingerprint(Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY") + "\n" + Environment.GetEnvironmentVariable("AWS_SESSION_TOKEN")),
                LastWriteOf(s.ProfileLocation ?? Environment.GetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE") ?? HomeFile("credentials")),
                LastWriteOf(Environment.GetEnvironmentVariable("AWS_CONFIG_FILE") ?? HomeFile("config")),
            })
            {
                key.Append(part).Append('|');
            }

            foreach (string name in ResolutionVariables) key.Append(Environment.GetEnvironmentVariable(name)).Append('|');
            return key.ToString();
        }

        private static string HomeFile(string name)
        {
            string home = Environment.GetEnvironmentVariable("HOME") ?? Environment.GetEnvironmentVariable("USERPROFILE");
            return home == null ? null : Path.Combine(home, ".aws", name);
        }

        private static string LastWriteOf(string path)
        {
            try
            {
                return path != null && File.Exists(path) ? File.GetLastWriteTimeUtc(path).Ticks.ToString(CultureInfo.InvariantCulture) : "-";
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
            if (string.Equals(Environment.GetEnvironmentVariable("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"), "true", StringComparison.OrdinalIgnoreCase)) return null;
            return NullIfEmpty(Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_REKOGNITION")) ?? NullIfEmpty(Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL"));
        }

        /// <summary>Forgets every cached client (for tests, and after credentials change).</summary>
        public static void Clear() => Cache.Clear();

        private static void ValidateEndpoint(string endpointUrl)
        {
            if (string.IsNullOrEmpty(endpointUrl)) return;
            if (!Uri.TryCreate(endpointUrl, UriKind.Absolute, out Uri uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                throw new RekognitionException(ErrorCodes.InvalidConfiguration,
                    $"EndpointUrl '{endpointUrl}' is not an absolute http:// or https:// URL.");
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

            // 1. Explicit keys.
            if (hasAccessKey)
            {
                return (Keys(s.AccessKey, s.SecretKey, s.SessionToken), ProfileFor(s));
            }

            // 2. A profile: -ProfileName, or with -ProfileLocation alone AWS_PROFILE or 'default' in that file.
            ProfileRef named = string.IsNullOrEmpty(s.ProfileName) && string.IsNullOrEmpty(s.ProfileLocation) ? null : ProfileFor(s);
            if (named != null)
            {
                var chain = new CredentialProfileStoreChain(named.Location);
                if (!chain.TryGetAWSCredentials(named.Name, out AWSCredentials fromProfile))
                    throw new RekognitionException(ErrorCodes.ProfileNotFound,
                        $"No credential profile named '{named.Name}' was found" +
                        (named.Location == null ? " in the shared credentials and config files." : $" in '{named.Location}'."));
                return (fromProfile, named);
            }

            // 3. A credentials object.
            if (s.Credential != null)
            {
                AWSCredentials fromObject = FromCredentialObject(s.Credential);
                return (fromObject, ProfileFor(s));
            }

            // 4-6. The environment, the default profile, then container and instance credentials.
            AWSCredentials fallback;
            try
            {
                fallback = DefaultAWSCredentialsIdentityResolver.GetCredentials(null);
            }
            catch (Exception exception) when (exception is AmazonClientException || exception is AmazonServiceException)
            {
                throw new RekognitionException(ErrorCodes.NoCredentials,
                    "No AWS credentials were found. Pass -ProfileName (or -AccessKey and -SecretKey), or set AWS_ACCESS_KEY_ID and " +
                    "AWS_SECRET_ACCESS_KEY (or AWS_PROFILE), or configure a default profile in the shared credentials file.");
            }

            // The SDK reads the environment again for every request. A change of those variables makes
            // a new client (they are part of its cache key), so the keys as they are now serve this one.
            if (fallback is EnvironmentVariablesAWSCredentials)
            {
                ImmutableCredentials current = fallback.GetCredentials();
                fallback = Keys(current.AccessKey, current.SecretKey, current.Token);
            }

            return (fallback, ProfileFor(s));
        }

        private static AWSCredentials Keys(string accessKey, string secretKey, string sessionToken) =>
            string.IsNullOrEmpty(sessionToken)
                ? (AWSCredentials)new BasicAWSCredentials(accessKey, secretKey)
                : new SessionAWSCredentials(accessKey, secretKey, sessionToken);

        private static ProfileRef ProfileFor(ConnectionSettings s)
        {
            string name = NullIfEmpty(s.ProfileName) ?? (string.IsNullOrEmpty(s.ProfileLocation) ? null : Environment.GetEnvironmentVariable("AWS_PROFILE") ?? "default");
            return name == null ? null : new ProfileRef { Name = name, Location = NullIfEmpty(s.ProfileLocation) };
        }

        private static AWSCredentials FromCredentialObject(object credential)
        {
            if (credential is AWSCredentials ours) return ours;

            // Another AWSSDK.Core's AWSCredentials: take a snapshot through its public surface.
            MethodInfo getCredentials = credential.GetType().GetMethod("GetCredentials", Type.EmptyTypes);
            object immutable = getCredentials?.Invoke(credential, null);
            string accessKey = ReadString(immutable, "AccessKey");
            string secretKey = ReadString(immutable, "SecretKey");
            string token = ReadString(immutable, "Token");
            if (string.IsNullOrEmpty(accessKey) || string.IsNullOrEmpty(secretKey))
                throw new RekognitionException(ErrorCodes.InvalidConfiguration,
                    $"Credential must be an AWSCredentials object (for example from Get-AWSCredential); a {credential.GetType().FullName} has no keys.");
            return Keys(accessKey, secretKey, token);
        }

        private static string ReadString(object source, string property) =>
            source?.GetType().GetProperty(property)?.GetValue(source) as string;

        private static RegionEndpoint ResolveRegion(ConnectionSettings s, ProfileRef profile)
        {
            string name = null, source = null;
            foreach (var (value, from) in new[]
                     {
                         (s.Region, "-Region"),
                         (Environment.GetEnvironmentVariable("AWS_REGION"), "AWS_REGION"),
                         (Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION"), "AWS_DEFAULT_REGION"),
                     })
            {
                if (NullIfEmpty(value) == null) continue;
                name = value.Trim();
                source = from;
                break;
            }

            if (name == null && profile != null)
            {
                var chain = new CredentialProfileStoreChain(profile.Location);
                if (chain.TryGetProfile(profile.Name, out CredentialProfile found) && found.Region != null)
                {
                    name = found.Region.SystemName;
                    source = $"the profile '{profile.Name}'";
                }
            }

            // AWSSDK.Core would throw its own exception type, with no word of where the name came from.
            if (name != null && !IsRegionName(name))
                throw new RekognitionException(ErrorCodes.InvalidConfiguration,
                    $"The region '{name}' from {source} is not a region name: a region name is lower-case letters and digits in parts joined by single hyphens, for example us-east-1.");

            if (name == null)
            {
                try
                {
                    bool imds = !string.Equals(Environment.GetEnvironmentVariable("AWS_EC2_METADATA_DISABLED"), "true", StringComparison.OrdinalIgnoreCase);
                    name = FallbackRegionFactory.GetRegionEndpoint(imds)?.SystemName;
                }
                catch (Exception exception) when (exception is AmazonClientException || exception is InvalidOperationException)
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
