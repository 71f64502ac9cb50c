import type { CampaignStatus } from '@engage/contracts';

export const statusLabels: Record<CampaignStatus, string> = {
  draft: 'Draft',
  active: 'Active',
  paused: 'Paused',
  finished: 'Finished',
};

export const statusColors: Record<CampaignStatus, string> = {
  draft: 'gray',
  active: 'teal',
  paused: 'yellow',
  finished: 'dark',
};

/** The button that moves a campaign to `to`, from `from`. */
export function transitionAction(
  from: CampaignStatus,
  to: CampaignStatus,
): { label: string; testId: string; color: string; done: string } {
  switch (to) {
    case 'active':
      return from === 'paused'
        ? {
            label: 'Resume',
            testId: 'campaign-status-activate',
            color: 'teal',
            done: 'Campaign resumed: agents can call',
          }
        : {
            label: 'Activate',
            testId: 'campaign-status-activate',
            color: 'teal',
            done: 'Campaign active: agents can call',
          };
    case 'paused':
      return { label: 'Pause', testId: 'campaign-status-pause', color: 'yellow', done: 'Campaign paused' };
    case 'finished':
      return { label: 'Finish', testId: 'campaign-status-finish', color: 'red', done: 'Campaign finished' };
    case 'draft':
      return { label: 'Back to draft', testId: 'campaign-status-draft', color: 'gray', done: 'Campaign is a draft' };
  }
}
