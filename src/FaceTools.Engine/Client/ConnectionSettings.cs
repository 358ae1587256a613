using System;
using System.Collections.Concurrent;
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
        private static readonly ConcurrentDictionary<string, Lazy<RekognitionApi>> Cache =
            new ConcurrentDictionary<string, Lazy<RekognitionApi>>(StringComparer.Ordinal);

        public static RekognitionApi Get(ConnectionSettings settings)
        {
            if (settings == null) throw new ArgumentNullException(nameof(settings));
            settings.EndpointUrl = ConfiguredEndpoint(settings.EndpointUrl);
            ValidateEndpoint(settings.EndpointUrl);
            var (credentials, identity, profile) = ResolveCredentials(settings);
            RegionEndpoint region = ResolveRegion(settings, profile);
            int connections = Math.Max(settings.MaxConcurrency, 1);
            string key = string.Join("|", settings.EndpointUrl ?? "", region.SystemName, identity,
                settings.TimeoutSec?.ToString() ?? "", profile?.Name ?? "", profile?.Location ?? "", connections <= 4 ? "4" : connections.ToString(),
                // Read by the client's config when it is created: a change makes a new client.
                Environment.GetEnvironmentVariable("AWS_MAX_ATTEMPTS") ?? "", Environment.GetEnvironmentVariable("AWS_RETRY_MODE") ?? "");

            var lazy = Cache.GetOrAdd(key, _ => new Lazy<RekognitionApi>(() =>
            {
                // AWSSDK.Core reads AWS_MAX_ATTEMPTS, AWS_RETRY_MODE and the profile's settings once per
                // process; re-read them for each new client so a changed environment takes effect.
                FallbackInternalConfigurationFactory.Reset();
                var config = new RekognitionClientConfig
                {
                    RegionEndpoint = region,
                    MaxConnectionsPerServer = Math.Max(connections, 4),
                };
                if (profile != null) config.Profile = new Profile(profile.Name, profile.Location);
                if (!string.IsNullOrEmpty(settings.EndpointUrl))
                {
                    config.ServiceURL = settings.EndpointUrl;
                    config.AuthenticationRegion = region.SystemName;
                }

                if (settings.TimeoutSec.HasValue) config.Timeout = TimeSpan.FromSeconds(settings.TimeoutSec.Value);
                return new RekognitionApi(new RekognitionServiceClient(credentials, config));
            }));
            return lazy.Value;
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

        private static (AWSCredentials credentials, string identity, ProfileRef profile) ResolveCredentials(ConnectionSettings s)
        {
            bool hasAccessKey = !string.IsNullOrEmpty(s.AccessKey), hasSecretKey = !string.IsNullOrEmpty(s.SecretKey);
            if (hasAccessKey != hasSecretKey)
                throw new RekognitionException(ErrorCodes.InvalidConfiguration,
                    "AccessKey and SecretKey must be given together (SessionToken is optional with them).");

            // 1. Explicit keys.
            if (hasAccessKey)
            {
                AWSCredentials keys = string.IsNullOrEmpty(s.SessionToken)
                    ? (AWSCredentials)new BasicAWSCredentials(s.AccessKey, s.SecretKey)
                    : new SessionAWSCredentials(s.AccessKey, s.SecretKey, s.SessionToken);
                return (keys, "keys:" + s.AccessKey + ":" + Fingerprint(s.SecretKey + "\n" + s.SessionToken), ProfileFor(s));
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
                return (fromProfile, "profile:" + named.Name + ":" + named.Location, named);
            }

            // 3. A credentials object.
            if (s.Credential != null)
            {
                AWSCredentials fromObject = FromCredentialObject(s.Credential);
                return (fromObject, "object:" + System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(s.Credential), ProfileFor(s));
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

            string env = Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID") + ":" +
                         Fingerprint(Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY") + "\n" + Environment.GetEnvironmentVariable("AWS_SESSION_TOKEN")) + ":" +
                         Environment.GetEnvironmentVariable("AWS_PROFILE");
            return (fallback, "default:" + env, ProfileFor(s));
        }

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
            return string.IsNullOrEmpty(token)
                ? (AWSCredentials)new BasicAWSCredentials(accessKey, secretKey)
                : new SessionAWSCredentials(accessKey, secretKey, token);
        }

        private static string ReadString(object source, string property) =>
            source?.GetType().GetProperty(property)?.GetValue(source) as string;

        private static RegionEndpoint ResolveRegion(ConnectionSettings s, ProfileRef profile)
        {
            string name = NullIfEmpty(s.Region)
                          ?? NullIfEmpty(Environment.GetEnvironmentVariable("AWS_REGION"))
                          ?? NullIfEmpty(Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION"));
            if (name == null && profile != null)
            {
                var chain = new CredentialProfileStoreChain(profile.Location);
                if (chain.TryGetProfile(profile.Name, out CredentialProfile found) && found.Region != null) name = found.Region.SystemName;
            }

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

        /// <summary>A one-way fingerprint, so no secret is kept as a cache key.</summary>
        private static string Fingerprint(string secret)
        {
            using (var sha = SHA256.Create())
                return Convert.ToBase64String(sha.ComputeHash(Encoding.UTF8.GetBytes(secret ?? "")));
        }
    }
}
