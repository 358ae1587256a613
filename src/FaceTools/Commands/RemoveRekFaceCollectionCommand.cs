using System.Management.Automation;
using FaceTools.Engine.Protocol;
using FaceTools.Completion;
using FaceTools.Validation;

namespace FaceTools.Commands
{
    /// <summary>Deletes face collections with all their faces and users (DeleteCollection).</summary>
    [Cmdlet(VerbsCommon.Remove, "RekFaceCollection", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class RemoveRekFaceCollectionCommand : RekognitionCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [TrimmedString]
        [ValidateServiceField(nameof(FieldRules.CollectionId))]
        [ArgumentCompleter(typeof(CollectionIdCompleter))]
        public string[] CollectionId { get; set; }

        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void ProcessRecord()
        {
            foreach (string collectionId in CollectionId)
            {
                // Objects that carry a CollectionId (faces, users) may name one collection many times: delete it once.
                if (!FirstTime(collectionId, $"Collection '{collectionId}'", "deleted")) continue;

                if (!ConfirmTarget(Force, $"collection '{collectionId}' with all its faces and users", "Delete face collection")) continue;
                if (TryCall((api, cancel) => api.DeleteCollectionAsync(collectionId, cancel), collectionId, out string requestId))
                    WriteVerbose($"Deleted collection '{collectionId}'; request id {requestId}.");
            }
        }
    }
}
