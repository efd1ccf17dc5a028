// What each mailbox status means to its user (docs/design.md §2): a word, a colour, an icon and a plain description.
// The colour is never the only signal: the word and the icon's shape say the same.

const ICONS = {
  // A tick in a circle.
  check: 'M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm-1.2 14.2-4.3-4.3 1.4-1.4 2.9 2.9 5.9-5.9 1.4 1.4z',
  // A cross in a circle.
  cross: 'M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm3.6 12.2-1.4 1.4L12 13.4l-2.2 2.2-1.4-1.4 2.2-2.2-2.2-2.2 1.4-1.4 2.2 2.2 2.2-2.2 1.4 1.4-2.2 2.2z',
  // An hourglass.
  hourglass: 'M6 2h12v2h-1v3.2L13.2 12l3.8 4.8V20h1v2H6v-2h1v-3.2l3.8-4.8L7 7.2V4H6zm3 2v2.5l3 3.8 3-3.8V4zm3 9.7-3 3.8V20h6v-2.5z',
  // A warning triangle.
  warning: 'M12 2 1 21h22zm-1 6h2v7h-2zm0 9h2v2h-2z',
  // A circle with a dash: nothing connected.
  dash: 'M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm0 2a8 8 0 1 1 0 16 8 8 0 0 1 0-16zM7 11h10v2H7z',
};

export const STATUSES = {
  Enabled: {
    word: 'Enabled',
    icon: 'check',
    description: 'Syncing works. Emails with your leads are recorded on their timelines.',
  },
  Error: {
    word: 'Error',
    icon: 'cross',
    description: 'The last sync attempt failed. We keep retrying; the error log below says how to fix it.',
  },
  Pending: {
    word: 'Pending',
    icon: 'hourglass',
    description: "Waiting for a seat: the company's mailbox sync limit is reached. Syncing starts on its own when an " +
      'administrator raises the limit or another user disconnects.',
  },
  ConnectionIssue: {
    word: 'Connection Issue',
    icon: 'warning',
    description: 'Unable to connect for two days due to errors. No longer trying to sync. Billing is off until it is fixed.',
  },
  NotConfigured: {
    word: 'Not connected',
    icon: 'dash',
    description: 'No mailbox is connected. Connect one below to record your emails with leads.',
  },
};

export function statusOf(name) {
  return STATUSES[name] ?? STATUSES.NotConfigured;
}

/** The status as an icon (decorative: the word next to it carries the meaning). */
export function statusIcon(name) {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', '18');
  svg.setAttribute('height', '18');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  path.setAttribute('d', ICONS[statusOf(name).icon]);
  path.setAttribute('fill', 'currentColor');
  path.setAttribute('fill-rule', 'evenodd');
  svg.append(path);
  return svg;
}

/** A small badge: icon and word, coloured by the status (see mail-sync.css). */
export function statusBadge(name) {
  const badge = document.createElement('span');
  badge.className = 'badge small';
  badge.dataset.status = name;
  const word = document.createElement('span');
  word.textContent = statusOf(name).word;
  badge.append(statusIcon(name), word);
  return badge;
}

export const PROVIDERS = {
  google: 'Sign in with Google',
  microsoft: 'Sign in with Microsoft',
  'google-app-password': 'Google app password',
  custom: 'IMAP server',
};

export const ROLES = {
  Administrator: 'Administrator',
  CompanyManager: 'Company Manager',
  MarketingManager: 'Marketing Manager',
  SalesManager: 'Sales Manager',
  Salesperson: 'Salesperson',
  JrSalesperson: 'Jr. Salesperson',
};

export const COMPANY_ROLES = new Set(['Administrator', 'CompanyManager']);
