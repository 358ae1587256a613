using System;
using System.Collections.Generic;

namespace FaceTools.Engine.Batching
{
    /// <summary>One request's worth of faces for one user of one collection.</summary>
    public sealed class FaceBatch
    {
        public FaceBatch(int number, string collectionId, string userId, int indexForUser, IReadOnlyList<string> faceIds, string clientRequestToken)
        {
            Number = number;
            CollectionId = collectionId;
            UserId = userId;
            IndexForUser = indexForUser;
            FaceIds = faceIds;
            ClientRequestToken = clientRequestToken;
        }

        /// <summary>1-based, in the order batches were closed.</summary>
        public int Number { get; }
        public string CollectionId { get; }
        public string UserId { get; }

        /// <summary>0-based position among this user's batches: part of the derived token.</summary>
        public int IndexForUser { get; }
        public IReadOnlyList<string> FaceIds { get; }
        public string ClientRequestToken { get; }

        /// <summary>Batches with the same key are for the same user and must never be in flight together.</summary>
        public string UserKey => UserKeyOf(CollectionId, UserId);

        public static string UserKeyOf(string collectionId, string userId) => collectionId + "\n" + userId;
    }

    /// <summary>
    /// Streams face IDs into batches of at most <c>batchSize</c> per (CollectionId, UserId), dropping
    /// repeats: a batch is handed out the moment it is full, so memory holds at most one open batch
    /// per user plus about 21 bytes per distinct face seen (to recognise repeats). Dispose it to free
    /// that memory as soon as the stream ends.
    /// </summary>
    public sealed class FaceBatcher : IDisposable
    {
        private sealed class UserState
        {
            public string CollectionId;
            public string UserId;
            public readonly GuidSet Seen = new GuidSet();
            public List<string> Open;
            public int BatchesClosed;
        }

        private readonly Dictionary<string, UserState> _users = new Dictionary<string, UserState>(StringComparer.Ordinal);
        private readonly List<UserState> _usersInOrder = new List<UserState>();
        private readonly int _batchSize;
        private readonly string _baseToken;
        private int _batchesClosed;
        private UserState _lastUser;

        public FaceBatcher(int batchSize, string baseToken)
        {
            if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize));
            _batchSize = batchSize;
            _baseToken = baseToken;
        }

        public int DistinctFaces { get; private set; }
        public int Duplicates { get; private set; }
        public int BatchesClosed => _batchesClosed;

        /// <summary>
        /// Adds a face (already validated). Returns false for a face already seen for this user.
        /// <paramref name="full"/> is the batch this face completed, if any.
        /// </summary>
        public bool Add(string collectionId, string userId, string faceId, out FaceBatch full)
        {
            full = null;
            UserState user = UserFor(collectionId, userId);

            // Face IDs are GUIDs: keep 16 bytes per face rather than the 36-character string.
            Guid id = Guid.TryParse(faceId, out Guid parsed) ? parsed : throw new ArgumentException($"'{faceId}' is not a face ID.", nameof(faceId));
            if (!user.Seen.Add(id))
            {
                Duplicates++;
                return false;
            }

            DistinctFaces++;
            if (user.Open == null) user.Open = new List<string>(_batchSize);
            user.Open.Add(faceId);
            if (user.Open.Count == _batchSize) full = Close(user);
            return true;
        }

        /// <summary>Whether this face was added for this user already (to a batch handed out, or to the open one).</summary>
        public bool Has(string collectionId, string userId, string faceId) =>
            Guid.TryParse(faceId, out Guid id) && _users.TryGetValue(FaceBatch.UserKeyOf(collectionId, userId), out UserState user) && user.Seen.Contains(id);

        // Input usually arrives user by user: the last user's state is kept at hand, so the per-face
        // path builds no key and looks nothing up while the user stays the same.
        private UserState UserFor(string collectionId, string userId)
        {
            if (_lastUser != null && string.Equals(_lastUser.CollectionId, collectionId, StringComparison.Ordinal) &&
                string.Equals(_lastUser.UserId, userId, StringComparison.Ordinal))
                return _lastUser;

            string key = FaceBatch.UserKeyOf(collectionId, userId);
            if (!_users.TryGetValue(key, out UserState user))
            {
                user = new UserState { CollectionId = collectionId, UserId = userId };
                _users.Add(key, user);
                _usersInOrder.Add(user);
            }

            return _lastUser = user;
        }

        public void Dispose()
        {
            foreach (UserState user in _usersInOrder) user.Seen.Dispose();
        }

        /// <summary>Closes every open batch, in the order the users were first seen.</summary>
        public IEnumerable<FaceBatch> Flush()
        {
            foreach (UserState user in _usersInOrder)
                if (user.Open != null && user.Open.Count > 0)
                    yield return Close(user);
        }

        private FaceBatch Close(UserState user)
        {
            int index = user.BatchesClosed++;
            var batch = new FaceBatch(++_batchesClosed, user.CollectionId, user.UserId, index, user.Open,
                BatchTokens.ForBatch(_baseToken, user.CollectionId, user.UserId, index));
            user.Open = null;
            return batch;
        }
    }
}
