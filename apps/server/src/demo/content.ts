/**
 * Fixed demo content: users, settings (reasons, job roles), teams, campaign scripts and the
 * vocabularies donor histories are drawn from.
 */
export const DEMO_PASSWORD = 'engage-demo';

export type DemoUserKey = 'admin' | 'manager' | 'agent1' | 'agent2' | 'agent3' | 'agent4' | 'agent5' | 'agent6';

export const DEMO_USERS: readonly {
  key: DemoUserKey;
  email: string;
  name: string;
  role: 'admin' | 'manager' | 'agent';
}[] = [
  { key: 'admin', email: 'admin@demo.org', name: 'Ada Admin', role: 'admin' },
  { key: 'manager', email: 'manager@demo.org', name: 'Maya Manager', role: 'manager' },
  { key: 'agent1', email: 'agent1@demo.org', name: 'Sam Okafor', role: 'agent' },
  { key: 'agent2', email: 'agent2@demo.org', name: 'Lucía Fernández', role: 'agent' },
  { key: 'agent3', email: 'agent3@demo.org', name: 'Tom Becker', role: 'agent' },
  { key: 'agent4', email: 'agent4@demo.org', name: 'Aisha Rahman', role: 'agent' },
  { key: 'agent5', email: 'agent5@demo.org', name: 'Kenji Watanabe', role: 'agent' },
  { key: 'agent6', email: 'agent6@demo.org', name: 'Chloé Martin', role: 'agent' },
];

export const JOB_ROLES = [
  { name: 'Agent', outbound: true, inbound: true, position: 1 },
  { name: 'Outbound caller', outbound: true, inbound: false, position: 2 },
  { name: 'Inbound caller', outbound: false, inbound: true, position: 3 },
] as const;

export const SKIP_REASONS = [
  { name: 'Not a good time to call', outcome: 'requeue' },
  { name: 'Already called today', outcome: 'requeue' },
  { name: 'Need to check with a supervisor first', outcome: 'requeue' },
  { name: 'Donor is in another campaign right now', outcome: 'requeue' },
  { name: 'Number looks wrong', outcome: 'remove' },
  { name: 'Donor asked for no calls', outcome: 'remove' },
  { name: 'Duplicate donor record', outcome: 'remove' },
] as const;

type EndOutcome = 'final' | 'retry' | 'appointment' | 'do_not_call';
type EndReasonDirection = 'both' | 'outbound' | 'inbound';
export const END_REASONS: readonly {
  name: string;
  outcome: EndOutcome;
  retryMinutes: number | null;
  countsAsContact: boolean;
  countsAsSuccess: boolean;
  /** The calls it ends (default both): a donor who phoned in is not "No answer". */
  direction?: EndReasonDirection;
}[] = [
  { name: 'Concluded', outcome: 'final', retryMinutes: null, countsAsContact: true, countsAsSuccess: false },
  { name: 'Donation made', outcome: 'final', retryMinutes: null, countsAsContact: true, countsAsSuccess: true },
  { name: 'Sponsorship renewed', outcome: 'final', retryMinutes: null, countsAsContact: true, countsAsSuccess: true },
  { name: 'Payment updated', outcome: 'final', retryMinutes: null, countsAsContact: true, countsAsSuccess: true },
  { name: 'Not interested', outcome: 'final', retryMinutes: null, countsAsContact: true, countsAsSuccess: false },
  {
    name: 'Call back later',
    outcome: 'appointment',
    retryMinutes: null,
    countsAsContact: true,
    countsAsSuccess: false,
  },
  {
    name: 'No answer',
    outcome: 'retry',
    retryMinutes: 120,
    countsAsContact: false,
    countsAsSuccess: false,
    direction: 'outbound',
  },
  {
    name: 'Busy',
    outcome: 'retry',
    retryMinutes: 30,
    countsAsContact: false,
    countsAsSuccess: false,
    direction: 'outbound',
  },
  {
    name: 'Voicemail left',
    outcome: 'retry',
    retryMinutes: 1440,
    countsAsContact: false,
    countsAsSuccess: false,
    direction: 'outbound',
  },
  { name: 'Wrong number', outcome: 'final', retryMinutes: null, countsAsContact: false, countsAsSuccess: false },
  { name: 'Do not call', outcome: 'do_not_call', retryMinutes: null, countsAsContact: true, countsAsSuccess: false },
  // Inbound only: what a donor who phoned in came for.
  {
    name: 'Enquiry answered',
    outcome: 'final',
    retryMinutes: null,
    countsAsContact: true,
    countsAsSuccess: true,
    direction: 'inbound',
  },
  {
    name: 'Details updated',
    outcome: 'final',
    retryMinutes: null,
    countsAsContact: true,
    countsAsSuccess: true,
    direction: 'inbound',
  },
  // The call service also flags the donor as deceased; as a disposition it simply ends the work.
  { name: 'Deceased', outcome: 'do_not_call', retryMinutes: null, countsAsContact: false, countsAsSuccess: false },
];

export const BREAK_REASONS = ['Lunch', 'Short break', 'Training', 'Team meeting', 'Technical issue'] as const;

export const TEAMS: readonly { name: string; members: readonly DemoUserKey[]; leaders: readonly DemoUserKey[] }[] = [
  { name: 'Donor Care', members: ['agent1', 'agent2', 'agent3', 'agent4', 'agent5', 'agent6'], leaders: ['manager'] },
  { name: 'Sponsorship Desk', members: ['agent1', 'agent2'], leaders: ['manager'] },
  { name: 'Supporter Welcome', members: ['agent3', 'agent4'], leaders: ['manager'] },
];

export const SCRIPTS = {
  sponsorship: [
    'Hello, this is [your name] calling from Engage on behalf of the children and communities you support. Is now a good time for a quick chat?',
    'I wanted to say a heartfelt thank you for your sponsorship and share a short update from the programme you support.',
    'Do you have any questions about your sponsorship, and are your contact and payment details still up to date?',
    'If they would like to do more, mention the Clean water appeal; never push, and thank them warmly before you end the call.',
  ].join('\n\n'),
  failedPayments: [
    'Hello, this is [your name] from Engage. I am calling about your regular gift: your last payment did not go through, and we wanted to let you know personally.',
    'It happens all the time, often because a card has expired or bank details have changed. Would you like to update your details now? Never read a card number back, and never write it in the notes.',
    'If they prefer to pause or stop, that is absolutely fine: record what they decided and thank them for everything they have given.',
  ].join('\n\n'),
  springAppeal: [
    'Hello, this is [your name] from Engage. You supported us in the past, and we wanted to thank you again for that.',
    'This spring we are raising funds for clean water and school meals. Could I tell you a little about it?',
    'If now is not a good time, offer to call back at a better moment.',
  ].join('\n\n'),
  newDonors: [
    'Hello, this is [your name] from Engage. I am calling to welcome you and to thank you for your first gift: it means a great deal to us.',
    'Could I check how you would like to hear from us, by phone, email or post, and how often?',
    'Do you have any questions about where your donation goes? Finish by thanking them once more.',
  ].join('\n\n'),
  lapsed: [
    'Hello, this is [your name] from Engage. It has been a while since we last spoke, and we simply wanted to thank you for your past support.',
    'Would you like to hear what your gifts helped achieve? If they are interested, mention the Emergency relief fund.',
  ].join('\n\n'),
} as const;

export const DONATION_PURPOSES: readonly (readonly [string, number])[] = [
  ['General fund', 20],
  ['Where most needed', 12],
  ['Clean water', 16],
  ['Education fund', 14],
  ['Emergency relief', 14],
  ['Healthcare', 8],
  ['Food security', 8],
  ['Winter appeal', 5],
  ['School meals', 3],
];

/** Typical gift amounts in pounds, converted per currency. */
export const GIFT_AMOUNTS_GBP: readonly (readonly [number, number])[] = [
  [5, 8],
  [10, 20],
  [15, 8],
  [20, 16],
  [25, 14],
  [30, 8],
  [40, 4],
  [50, 10],
  [75, 3],
  [100, 6],
  [150, 1],
  [250, 1.5],
  [500, 0.5],
];

export const SPONSORED_CHILDREN: readonly (readonly [string, readonly string[]])[] = [
  ['Kenya', ['Amina', 'Baraka', 'Zawadi', 'Imani', 'Juma', 'Neema']],
  ['Uganda', ['Nakato', 'Okello', 'Akello', 'Mukasa']],
  ['Guatemala', ['María', 'Diego', 'Ximena', 'José Luis']],
  ['India', ['Ravi', 'Priya', 'Lakshmi', 'Arjun']],
  ['Bangladesh', ['Rahim', 'Fatema', 'Nusrat', 'Tanvir']],
  ['Philippines', ['Andrea', 'Joshua', 'Maricel', 'Jomar']],
  ['Ethiopia', ['Meron', 'Abebe', 'Hiwot', 'Dawit']],
  ['Malawi', ['Chikondi', 'Thoko', 'Mphatso']],
  ['Peru', ['Mateo', 'Lucía', 'Ñusta', 'Quispe']],
];

export const COMMUNITY_SPONSORSHIPS: readonly string[] = [
  'Community sponsorship – Village well, Turkana (Kenya)',
  'Community sponsorship – School meals, Mzuzu (Malawi)',
  'Project sponsorship – Girls’ education, Sylhet (Bangladesh)',
  'Project sponsorship – Health clinic, Gulu (Uganda)',
];

export const CARD_FAILURES = ['Card expired', 'Card declined by bank', 'Insufficient funds'] as const;
export const BANK_FAILURES = [
  'Insufficient funds',
  'Bank account closed',
  'Direct Debit instruction cancelled',
  'Payment details incorrect',
] as const;
export const RESOLUTIONS = [
  'Donor gave new card details on the phone; retried successfully',
  'Donor updated their bank details',
  'Donor asked to pause for three months',
  'Payment retried after the donor topped up their account',
] as const;

export const DONOR_NOTES: readonly string[] = [
  'Prefers calls in the early evening.',
  'Hard of hearing: please speak slowly and clearly.',
  'Asked for updates about their sponsored child by email rather than post.',
  'Moved house recently; new address confirmed on the phone.',
  'Would like a receipt for tax purposes every April.',
  'Works night shifts: mornings are not a good time.',
  'Very happy with the Clean water updates; mentioned telling friends about us.',
  'Prefers to speak Spanish if possible.',
  'Asked us not to mention legacy giving.',
  'Donates in memory of her late husband; be gentle.',
  'Company matches their donations: ask for the employer form.',
  'Called in to say thank you for the photos from the school.',
];

/**
 * The demo's inbound line: open every day round the clock (so the simulator rings it whenever a
 * newcomer tries), answered by Donor Care (every demo agent), recorded under General enquiries.
 */
export const INBOUND_LINE = {
  name: 'Supporter care',
  /** Ofcom's drama range for London (020 7946 0xxx): never a real subscriber. */
  number: '+442079460999',
  timeZone: 'Europe/London',
  teams: ['Donor Care'],
  campaign: 'General enquiries',
} as const;

/** The demo phone system (the simulator, npm run simulate:inbound) whose token is written at start. */
export const DEMO_PHONE_SYSTEM = 'Demo phone system (simulator)';

/**
 * The file, in DATA_DIR, where the first start writes the demo phone system's token: beside the
 * database it belongs to, so another data directory (the browser tests') never overwrites it.
 */
export const DEMO_PHONE_SYSTEM_TOKEN_FILE = 'demo-phone-system-token';
