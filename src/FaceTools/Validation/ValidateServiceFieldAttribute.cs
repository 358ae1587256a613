using System;
using System.Management.Automation;
using FaceTools.Engine.Protocol;

namespace FaceTools.Validation
{
    /// <summary>
    /// Checks each value against one of the service's field rules before any request, with a message
    /// that states the rule (PowerShell prefixes it with the parameter's name).
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class ValidateServiceFieldAttribute : ValidateEnumeratedArgumentsAttribute
    {
        private readonly FieldRule _rule;

        public ValidateServiceFieldAttribute(string field)
        {
            _rule = RuleFor(field);
        }

        internal static FieldRule RuleFor(string field)
        {
            switch (field)
            {
                case nameof(FieldRules.CollectionId): return FieldRules.CollectionId;
                case nameof(FieldRules.UserId): return FieldRules.UserId;
                case nameof(FieldRules.FaceId): return FieldRules.FaceId;
                case nameof(FieldRules.ClientRequestToken): return FieldRules.ClientRequestToken;
                case nameof(FieldRules.ExternalImageId): return FieldRules.ExternalImageId;
                case nameof(FieldRules.S3Bucket): return FieldRules.S3Bucket;
                case nameof(FieldRules.S3ObjectName): return FieldRules.S3ObjectName;
                default: throw new ArgumentException($"No field rule named '{field}'.", nameof(field));
            }
        }

        protected override void ValidateElement(object element)
        {
            if (element is PSObject wrapped) element = wrapped.BaseObject;
            if (element != null && !(element is string))
                throw new ValidationMetadataException($"{_rule.Name} must be a string, not a {element.GetType().Name}; it must be {_rule.Description}.");
            string problem = _rule.Explain((string)element);
            if (problem != null) throw new ValidationMetadataException(problem);
        }
    }
}
