using System;
using System.Collections;
using System.Globalization;
using System.Management.Automation;
using FaceTools.Engine.Protocol;

namespace FaceTools.Validation
{
    /// <summary>
    /// Checks a tags hashtable against the service's rules before any request: at most 200 tags, each key and
    /// value a string within the TagKey and TagValue rules.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class ValidateTagsAttribute : ValidateArgumentsAttribute
    {
        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            if (arguments is PSObject wrapped) arguments = wrapped.BaseObject;
            if (arguments == null) return;
            if (!(arguments is IDictionary tags))
                throw new ValidationMetadataException($"Tags must be a hashtable of tag keys and values, not a {arguments.GetType().Name}.");
            if (tags.Count > FieldRules.MaxTags)
                throw new ValidationMetadataException($"There are {tags.Count} tags; a collection takes at most {FieldRules.MaxTags}.");
            foreach (DictionaryEntry tag in tags)
            {
                string problem = FieldRules.TagKey.Explain(Text(tag.Key)) ?? FieldRules.TagValue.Explain(Text(tag.Value));
                if (problem != null) throw new ValidationMetadataException(problem);
            }
        }

        /// <summary>Keys and values as the request will carry them; a null value is an empty string.</summary>
        internal static string Text(object value)
        {
            if (value is PSObject wrapped) value = wrapped.BaseObject;
            return value == null ? "" : Convert.ToString(value, CultureInfo.InvariantCulture);
        }
    }
}
