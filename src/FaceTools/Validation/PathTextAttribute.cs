using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;

namespace FaceTools.Validation
{
    /// <summary>
    /// For a -Path that takes strings from the pipeline: strings pass as they are, files and folders become
    /// their full name, and a PathInfo (from Resolve-Path) its path, escaped so the wildcard parameter names exactly them.
    /// Anything else is refused as an invalid cast, which makes PowerShell try the object's properties
    /// against the other parameter sets instead of binding its string form (a CSV row, say) as a path.
    /// </summary>
    [System.AttributeUsage(System.AttributeTargets.Property | System.AttributeTargets.Field)]
    public sealed class PathTextAttribute : ArgumentTransformationAttribute
    {
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object value = Unwrap(inputData);
            if (value == null || value is string || value is string[]) return value;
            if (value is IEnumerable items && !(value is IDictionary))
            {
                var paths = new List<string>();
                foreach (object item in items) paths.Add(PathOf(Unwrap(item)));
                return paths.ToArray();
            }

            return PathOf(value);
        }

        private static object Unwrap(object value) => value is PSObject wrapped ? wrapped.BaseObject : value;

        private static string PathOf(object value)
        {
            switch (value)
            {
                case null: return null;
                case string text: return text;
                case FileSystemInfo item: return WildcardPattern.Escape(item.FullName);
                case PathInfo resolved: return WildcardPattern.Escape(resolved.ProviderPath);
                default:
                    throw new ArgumentTransformationMetadataException(
                        $"A path is a string, a file or a folder, not a {value.GetType().FullName}.",
                        new PSInvalidCastException("NotAPath"));
            }
        }
    }
}
