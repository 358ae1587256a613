using System;
using System.Diagnostics;
using System.Management.Automation;

namespace FaceTools.Commands
{
    /// <summary>
    /// Progress for long commands only: nothing in a command's first second (a short call shows no bar), then a few
    /// updates a second (a bar drawn per item would cost more than the work).
    /// </summary>
    internal sealed class ProgressPacing
    {
        private static readonly TimeSpan Delay = TimeSpan.FromSeconds(1);
        private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly int _activityId;
        private readonly string _activity;
        private TimeSpan _last;
        private bool _shown;

        public ProgressPacing(int activityId, string activity)
        {
            _activityId = activityId;
            _activity = activity;
        }

        /// <summary>Writes the status when an update is due; <paramref name="status"/> is only called then.</summary>
        public void Update(Cmdlet cmdlet, Func<string> status)
        {
            TimeSpan now = _clock.Elapsed;
            if (now < Delay || now - _last < Interval) return;
            _last = now;
            _shown = true;
            cmdlet.WriteProgress(new ProgressRecord(_activityId, _activity, status()));
        }

        /// <summary>Ends the bar, if one was shown.</summary>
        public void Complete(Cmdlet cmdlet)
        {
            if (_shown) cmdlet.WriteProgress(new ProgressRecord(_activityId, _activity, "Done") { RecordType = ProgressRecordType.Completed });
        }
    }
}
