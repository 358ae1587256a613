using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using FaceTools.Engine.Client;
using FaceTools.Engine.Operations;
using FaceTools.Engine.Protocol;
using FaceTools.Validation;

namespace FaceTools.Commands
{
    /// <summary>Creates face collections (CreateCollection).</summary>
    [Cmdlet(VerbsCommon.New, "RekFaceCollection", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(RekFaceCollection))]
    public sealed class NewRekFaceCollectionCommand : RekognitionCmdlet
    {
        // No completer: a new collection's name is not one the service knows yet.
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [TrimmedString]
        [ValidateServiceField(nameof(FieldRules.CollectionId))]
        public string[] CollectionId { get; set; }

        /// <summary>Tags for each new collection: keys and values as the service's tag rules allow.</summary>
        [Parameter]
        [ValidateTags]
        public Hashtable Tag { get; set; }

        protected override void ProcessRecord()
        {
            Dictionary<string, string> tags = null;
            if (Tag != null && Tag.Count > 0)
            {
                tags = new Dictionary<string, string>();
                foreach (DictionaryEntry entry in Tag) tags[ValidateTagsAttribute.Text(entry.Key)] = ValidateTagsAttribute.Text(entry.Value);
            }

            foreach (string collectionId in CollectionId)
            {
                if (!FirstTime(collectionId, $"Collection '{collectionId}'", "created")) continue;
                if (!ShouldProcess($"collection '{collectionId}'", "Create face collection")) continue;
                if (!TryCall((api, cancel) => api.CreateCollectionAsync(collectionId, tags, cancel), collectionId, out CollectionRecord created)) continue;
                WriteVerbose($"Created collection '{collectionId}' ({created.CollectionArn}); request id {created.RequestId}.");

                var collection = new RekFaceCollection
                {
                    CollectionId = collectionId,
                    CollectionArn = created.CollectionArn,
                    FaceModelVersion = created.FaceModelVersion,
                    FaceCount = 0,
                    UserCount = 0,
                    Tags = tags == null ? new TagTable() : new TagTable(tags),
                };
                AddCreationTime(collection);
                WriteObject(collection);
            }
        }

        /// <summary>
        /// CreateCollection does not say when: DescribeCollection does. The collection exists either way, so a failure
        /// here is only reported as verbose output and leaves CreationTimestamp empty.
        /// </summary>
        private void AddCreationTime(RekFaceCollection collection)
        {
            try
            {
                CollectionRecord described = Api.DescribeCollectionAsync(collection.CollectionId, CancellationToken).GetAwaiter().GetResult();
                collection.CreationTimestamp = described.CreationTimestamp;
                collection.CollectionArn = collection.CollectionArn ?? described.CollectionArn;
                collection.FaceModelVersion = collection.FaceModelVersion ?? described.FaceModelVersion;
            }
            catch (RekognitionException exception)
            {
                if (exception.Kind == FailureKind.Canceled) throw new PipelineStoppedException();
                WriteVerbose($"Collection '{collection.CollectionId}' was created; describing it failed ({exception.ErrorCode}), so its creation time is not shown.");
            }
        }
    }
}
