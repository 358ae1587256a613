using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using FaceTools.Engine.Client;
using FaceTools.Engine.Operations;
using FaceTools.Engine.Protocol;
using FaceTools.Completion;
using FaceTools.Validation;

namespace FaceTools.Commands
{
    /// <summary>
    /// Lists face collections (ListCollections, page by page) and describes each (DescribeCollection): counts of faces
    /// and users, face model version, ARN and creation time. Names filter with wildcards.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "RekFaceCollection")]
    [OutputType(typeof(RekFaceCollection))]
    public sealed class GetRekFaceCollectionCommand : RekognitionCmdlet
    {
        private List<string> _allIds;

        /// <summary>Collection IDs or wildcard patterns; without it, every collection.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [TrimmedString]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(CollectionIdCompleter))]
        public string[] CollectionId { get; set; }

        protected override void ProcessRecord()
        {
            var patterns = (CollectionId ?? new string[0]).Select(id => new NameFilter(id)).ToList();

            // Only literal names: describe them directly, without listing every collection.
            if (patterns.Count > 0 && patterns.All(p => p.IsLiteral))
            {
                foreach (var literal in patterns)
                {
                    string problem = FieldRules.CollectionId.Explain(literal.Text);
                    if (problem != null) NotFound(literal.Text, problem);
                    else Describe(literal.Text, reportMissing: true);
                }

                return;
            }

            List<string> ids = AllIds();
            if (ids == null) return;
            var literalsFound = new HashSet<string>();
            foreach (string id in ids)
            {
                var matches = patterns.Where(p => p.IsMatch(id)).ToList();
                if (patterns.Count > 0 && matches.Count == 0) continue;
                foreach (var match in matches.Where(m => m.IsLiteral)) literalsFound.Add(match.Text);
                // A collection deleted between the listing and now is simply gone: not an error.
                Describe(id, reportMissing: false);
            }

            // As Get-Process -Name does: a name without wildcards that matched nothing is an error.
            foreach (var missing in patterns.Where(p => p.IsLiteral && !literalsFound.Contains(p.Text)))
                NotFound(missing.Text, null);
        }

        /// <summary>Every collection's ID, listed once per command however many records come down the pipeline.</summary>
        private List<string> AllIds()
        {
            if (_allIds != null) return _allIds;
            var ids = new List<string>();
            string nextToken = null;
            do
            {
                if (!TryCall((api, token) => api.ListCollectionsAsync(null, nextToken, token), null, out Page<string> page)) return null;
                ids.AddRange(page.Items);
                nextToken = page.NextToken;
            }
            while (!string.IsNullOrEmpty(nextToken));

            WriteVerbose($"Listed {ids.Count} collection(s).");
            return _allIds = ids;
        }

        private void Describe(string collectionId, bool reportMissing)
        {
            // Faces or users piped in name one collection many times: write it once.
            if (!FirstTime(collectionId, $"Collection '{collectionId}'", "written")) return;
            CollectionRecord described;
            try
            {
                described = Api.DescribeCollectionAsync(collectionId, CancellationToken).GetAwaiter().GetResult();
            }
            catch (RekognitionException exception) when (exception.Kind == FailureKind.NotFound)
            {
                if (reportMissing) NotFound(collectionId, null);
                else WriteVerbose($"Collection '{collectionId}' was deleted after it was listed.");
                return;
            }
            catch (RekognitionException exception)
            {
                ReportFailure(exception, collectionId);
                return;
            }

            WriteObject(new RekFaceCollection
            {
                CollectionId = collectionId,
                CollectionArn = described.CollectionArn,
                FaceModelVersion = described.FaceModelVersion,
                FaceCount = described.FaceCount,
                UserCount = described.UserCount,
                CreationTimestamp = described.CreationTimestamp,
            });
        }

        private void NotFound(string collectionId, string why) =>
            WriteError(new ErrorRecord(
                new ItemNotFoundException($"Collection '{collectionId}' was not found" + (why == null ? "." : ": " + why)),
                "CollectionNotFound", ErrorCategory.ObjectNotFound, collectionId));
    }
}
