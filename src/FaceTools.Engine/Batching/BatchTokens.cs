using System;
using System.Security.Cryptography;
using System.Text;

namespace FaceTools.Engine.Batching
{
    /// <summary>
    /// Idempotency tokens for batches. Without a caller's token each batch gets a random one. With one,
    /// each batch's token is derived from it: the first 31 characters of the caller's token, '-', and
    /// 32 hex digits of SHA-256 over the token, collection, user and the batch's index for that user.
    /// So a rerun with the same token and the same input sends the same tokens (the service then
    /// replays its first answer), and tokens stay distinct per batch, within 64 characters and the
    /// service's pattern.
    /// </summary>
    public static class BatchTokens
    {
        public const int PrefixLength = 31;

        public static string ForBatch(string baseToken, string collectionId, string userId, int indexForUser)
        {
            if (string.IsNullOrEmpty(baseToken)) return Guid.NewGuid().ToString("N");

            string prefix = baseToken.Length <= PrefixLength ? baseToken : baseToken.Substring(0, PrefixLength);
            byte[] hash;
            using (var sha = SHA256.Create())
                hash = sha.ComputeHash(Encoding.UTF8.GetBytes(baseToken + "\n" + collectionId + "\n" + userId + "\n" + indexForUser));

            var text = new StringBuilder(prefix.Length + 33).Append(prefix).Append('-');
            for (int i = 0; i < 16; i++) text.Append(hash[i].ToString("x2"));
            return text.ToString();
        }
    }
}
