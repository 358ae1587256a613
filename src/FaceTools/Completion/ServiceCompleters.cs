using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Threading;
using FaceTools.Commands;
using FaceTools.Engine.Client;
using FaceTools.Engine.Operations;

namespace FaceTools.Completion
{
    /// <summary>
    /// Tab completion from the service, with the credentials, region and endpoint already typed on
    /// the command line. Lists are cached briefly per session; any failure completes nothing and
    /// prints nothing, and a slow service cannot hold the prompt for more than a few seconds.
    /// </summary>
    public abstract class ServiceCompleter : IArgumentCompleter
    {
        private static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(60);
        private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);
        private static readonly ConcurrentDictionary<string, (DateTime Expires, IReadOnlyList<string> Values)> Cache =
            new ConcurrentDictionary<string, (DateTime, IReadOnlyList<string>)>(StringComparer.Ordinal);

        /// <summary>The values to offer, or null when the command line lacks what is needed.</summary>
        protected abstract IReadOnlyList<string> Fetch(RekognitionApi api, IDictionary bound, CancellationToken cancellationToken);

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            IReadOnlyList<string> values;
            try
            {
                values = Values(commandName, fakeBoundParameters);
            }
            catch (Exception)
            {
                // Completion must never print or throw: no credentials, offline, denied... offer nothing.
                return Enumerable.Empty<CompletionResult>();
            }

            return values == null ? Enumerable.Empty<CompletionResult>() : CompletionList.Matching(values, wordToComplete);
        }

        /// <summary>Forgets cached lists (tests use it).</summary>
        public static void ClearCache() => Cache.Clear();

        private IReadOnlyList<string> Values(string commandName, IDictionary typed)
        {
            ConnectionSettings settings = CompletionList.Connection(commandName, typed, out IDictionary bound);
            string identity = string.Join("|", settings.EndpointUrl, settings.Region, settings.ProfileName, settings.ProfileLocation, settings.AccessKey,
                Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID"), Environment.GetEnvironmentVariable("AWS_PROFILE"), Environment.GetEnvironmentVariable("AWS_REGION"));
            string key = GetType().Name + "|" + identity + "|" + KeyFor(bound);
            if (Cache.TryGetValue(key, out var cached) && cached.Expires > DateTime.UtcNow) return cached.Values;

            IReadOnlyList<string> values = CompletionList.Within(() =>
            {
                CompletionList.CheckProfileFile(settings);
                using (var patience = new CancellationTokenSource(Patience))
                    return Fetch(RekognitionClients.Get(settings), bound, patience.Token) ?? new List<string>();
            }, Patience);
            if (values != null) Cache[key] = (DateTime.UtcNow + CacheLifetime, values);
            return values;
        }

        /// <summary>What besides the identity the list depends on (for example the collection).</summary>
        protected virtual string KeyFor(IDictionary bound) => "";

    }

    /// <summary>Completes -CollectionId from ListCollections.</summary>
    public sealed class CollectionIdCompleter : ServiceCompleter
    {
        protected override IReadOnlyList<string> Fetch(RekognitionApi api, IDictionary bound, CancellationToken cancellationToken)
        {
            var ids = new List<string>();
            string next = null;
            do
            {
                Page<string> page = api.ListCollectionsAsync(null, next, cancellationToken).GetAwaiter().GetResult();
                ids.AddRange(page.Items);
                next = page.NextToken;
            }
            while (!string.IsNullOrEmpty(next) && ids.Count < 10000);
            return ids;
        }
    }

    /// <summary>Completes -UserId from ListUsers of the -CollectionId already typed.</summary>
    public sealed class UserIdCompleter : ServiceCompleter
    {
        protected override string KeyFor(IDictionary bound) => ConnectionParameters.Text(bound, "CollectionId") ?? "";

        protected override IReadOnlyList<string> Fetch(RekognitionApi api, IDictionary bound, CancellationToken cancellationToken)
        {
            string collectionId = ConnectionParameters.Text(bound, "CollectionId");
            if (string.IsNullOrEmpty(collectionId)) return null;
            var ids = new List<string>();
            string next = null;
            do
            {
                Page<UserRecord> page = api.ListUsersAsync(collectionId, 500, next, cancellationToken).GetAwaiter().GetResult();
                ids.AddRange(page.Items.Select(u => u.UserId));
                next = page.NextToken;
            }
            while (!string.IsNullOrEmpty(next) && ids.Count < 10000);
            return ids;
        }
    }
}
