using System.Management.Automation;
using FaceTools.Engine.Operations;
using FaceTools.Engine.Protocol;
using FaceTools.Completion;
using FaceTools.Validation;

namespace FaceTools.Commands
{
    /// <summary>Lists the faces of a collection, or of one user (ListFaces), page by page as they arrive.</summary>
    [Cmdlet(VerbsCommon.Get, "RekFace", SupportsPaging = true)]
    [OutputType(typeof(RekFace))]
    public sealed class GetRekFaceCommand : RekognitionCmdlet
    {
        private ulong _skipped;
        private ulong _emitted;
        // False once a listing stopped before its end (-First was reached or a request failed): the total is then unknown.
        private bool _allListed = true;

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [TrimmedString]
        [ValidateServiceField(nameof(FieldRules.CollectionId))]
        [ArgumentCompleter(typeof(CollectionIdCompleter))]
        public string CollectionId { get; set; }

        /// <summary>Only the faces associated with this user.</summary>
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        [TrimmedString]
        [ValidateServiceField(nameof(FieldRules.UserId))]
        [ArgumentCompleter(typeof(UserIdCompleter))]
        public string UserId { get; set; }

        /// <summary>Only these faces (at most 4,096).</summary>
        [Parameter]
        [Alias("FaceIds")]
        [TrimmedString]
        [ValidateCount(1, FieldRules.MaxFaceIdsPerDeleteRequest)]
        [ValidateServiceField(nameof(FieldRules.FaceId))]
        public string[] FaceId { get; set; }

        protected override void ProcessRecord()
        {
            string nextToken = null;
            do
            {
                if (Enough) { _allListed = false; return; }
                var page = NextPage(nextToken);
                if (page == null) { _allListed = false; return; }
                foreach (FaceRecord face in page.Items)
                {
                    if (_skipped < PagingParameters.Skip) { _skipped++; continue; }
                    if (Enough) { _allListed = false; return; }
                    _emitted++;
                    WriteObject(new RekFace
                    {
                        CollectionId = CollectionId,
                        FaceId = face.FaceId,
                        UserId = face.UserId,
                        ImageId = face.ImageId,
                        ExternalImageId = face.ExternalImageId,
                        Confidence = face.Confidence,
                        BoundingBox = face.BoundingBox == null ? null : new BoundingBox
                        {
                            Width = face.BoundingBox.Width,
                            Height = face.BoundingBox.Height,
                            Left = face.BoundingBox.Left,
                            Top = face.BoundingBox.Top,
                        },
                        IndexFacesModelVersion = face.IndexFacesModelVersion,
                    });
                }

                nextToken = page.NextToken;
            }
            while (!string.IsNullOrEmpty(nextToken));
        }

        protected override void EndProcessing()
        {
            if (PagingParameters.IncludeTotalCount)
                WriteObject(PagingParameters.NewTotalCount(_skipped + _emitted, _allListed ? 1.0 : 0.0));
        }

        private bool Enough => _emitted >= PagingParameters.First;

        private Page<FaceRecord> NextPage(string nextToken)
        {
            // Ask only for what -First and -Skip still need, so a small -First costs one small request.
            int? maxResults = null;
            if (PagingParameters.First != ulong.MaxValue)
            {
                ulong wanted = PagingParameters.First - _emitted + (PagingParameters.Skip - _skipped);
                if (wanted >= 1 && wanted < 1000) maxResults = (int)wanted;
            }
            return TryCall((api, token) => api.ListFacesAsync(CollectionId, UserId, FaceId, maxResults, nextToken, token),
                CollectionId, out Page<FaceRecord> page) ? page : null;
        }
    }
}
