using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using FaceTools.Engine.Batching;
using FaceTools.Engine.Operations;
using FaceTools.Engine.Protocol;
using FaceTools.Completion;
using FaceTools.Validation;

namespace FaceTools.Commands
{
    /// <summary>Lists the users of a collection (ListUsers), filtered by name with wildcards.</summary>
    [Cmdlet(VerbsCommon.Get, "RekUser")]
    [OutputType(typeof(RekUser))]
    public sealed class GetRekUserCommand : RekognitionCmdlet
    {
        private const int PageSize = 500;

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [TrimmedString]
        [ValidateServiceField(nameof(FieldRules.CollectionId))]
        [ArgumentCompleter(typeof(CollectionIdCompleter))]
        public string CollectionId { get; set; }

        /// <summary>User IDs or wildcard patterns; without it, every user.</summary>
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [TrimmedString]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(UserIdCompleter))]
        public string[] UserId { get; set; }

        protected override void ProcessRecord()
        {
            var patterns = (UserId ?? new string[0]).Select(id => new NameFilter(id)).ToList();
            // Each face piped in names its user: once those users are written, listing again finds nothing new.
            if (patterns.Count > 0 && patterns.All(p => p.IsLiteral && Met(FaceBatch.UserKeyOf(CollectionId, p.Text)))) return;
            var literalsFound = new HashSet<string>();

            string nextToken = null;
            do
            {
                if (!TryCall((api, token) => api.ListUsersAsync(CollectionId, PageSize, nextToken, token), CollectionId, out Page<UserRecord> page)) return;
                foreach (UserRecord user in page.Items)
                {
                    var matches = patterns.Where(p => p.IsMatch(user.UserId)).ToList();
                    if (patterns.Count > 0 && matches.Count == 0) continue;
                    foreach (var match in matches.Where(m => m.IsLiteral)) literalsFound.Add(match.Text);
                    // Faces piped in name one user many times: write it once.
                    if (!FirstTime(FaceBatch.UserKeyOf(CollectionId, user.UserId), $"User '{user.UserId}' in collection '{CollectionId}'", "written")) continue;
                    WriteObject(new RekUser { CollectionId = CollectionId, UserId = user.UserId, UserStatus = user.UserStatus });
                }

                nextToken = page.NextToken;
            }
            while (!string.IsNullOrEmpty(nextToken));

            // As Get-Process -Name does: a name without wildcards that matched nothing is an error.
            foreach (var missing in patterns.Where(p => p.IsLiteral && !literalsFound.Contains(p.Text)))
                WriteError(new ErrorRecord(
                    new ItemNotFoundException($"User '{missing.Text}' was not found in collection '{CollectionId}'."),
                    "UserNotFound", ErrorCategory.ObjectNotFound, missing.Text));
        }
    }
}
