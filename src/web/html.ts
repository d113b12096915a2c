// The two server-made pages (login and the dashboard's shell). Everything dynamic in them is
// escaped here; the rows, logs and the rest are drawn by the page's script with textContent.

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

export interface Assets {
  readonly script: string;
  readonly style: string;
}

const head = (title: string, token: string, assets: Assets): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="${escapeHtml(token)}">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="${escapeHtml(assets.style)}">
<link rel="icon" href="data:,">
</head>`;

export interface LoginView {
  readonly identity: string;
  readonly token: string;
  readonly message: string | null;
  readonly username: string;
}

export const loginPage = (
  view: LoginView,
  assets: Assets,
): string => `${head(`tend · ${view.identity}`, view.token, assets)}
<body class="login"><main>
<h1>tend <span class="muted">${escapeHtml(view.identity)}</span></h1>
<form method="post" action="/login" class="login-form">
<input type="hidden" name="csrf" value="${escapeHtml(view.token)}">
<label for="username">User name</label>
<input id="username" name="username" autocomplete="username" required maxlength="64" value="${escapeHtml(view.username)}" autofocus>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024">
${view.message === null ? '' : `<p class="error" role="alert">${escapeHtml(view.message)}</p>`}
<button type="submit">Log in</button>
</form></main></body></html>`;

export interface ShellView {
  readonly identity: string;
  readonly token: string;
  readonly user: string;
  readonly role: string;
}

export const dashboardPage = (
  view: ShellView,
  assets: Assets,
): string => `${head(`tend · ${view.identity}`, view.token, assets)}
<body data-role="${escapeHtml(view.role)}">
<header class="top">
<h1>tend <span class="muted">${escapeHtml(view.identity)}</span></h1>
<p id="conn" class="conn" role="status" aria-live="polite"></p>
<form method="post" action="/logout" class="logout">
<input type="hidden" name="csrf" value="${escapeHtml(view.token)}">
<span class="who">${escapeHtml(view.user)} (${escapeHtml(view.role)})</span>
<button type="submit" data-action="logout">Log out</button>
</form>
</header>
<main id="app"><noscript>The dashboard needs JavaScript.</noscript></main>
<script type="module" src="${escapeHtml(assets.script)}"></script>
</body></html>`;
