// The tab's only script. Inside Teams: follow the Teams theme, sign in with Teams single sign-on, and save the
// channel tab's configuration. Outside Teams it does nothing: the pages are rendered on the server and work without it.
import { app, authentication, pages } from "@microsoft/teams-js";

const themes = { default: "default", dark: "dark", contrast: "contrast" };

function applyTheme(theme) {
  document.documentElement.dataset.theme = themes[theme] ?? "default";
}

// Teams hosts a tab in a frame (web, desktop) or in a web view with a native bridge (mobile).
function maybeInTeams() {
  return window.parent !== window || Boolean(window.nativeInterface) || Boolean(window.webkit?.messageHandlers?.interop);
}

function withTimeout(promise, ms) {
  return Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error("timed out")), ms))]);
}

function say(id, text) {
  const element = document.getElementById(id);
  if (element) element.textContent = text;
}

async function signIn() {
  const status = document.getElementById("sign-in-status");
  const returnUrl = status?.dataset.returnUrl || "/tab/portfolio";
  say("sign-in-status", "Signing you in with Teams…");
  try {
    const token = await authentication.getAuthToken();
    const response = await fetch("/tab/session", { method: "POST", headers: { Authorization: `Bearer ${token}` }, credentials: "same-origin" });
    if (!response.ok) throw new Error(`ValueBot answered ${response.status}`);
    const theme = document.documentElement.dataset.theme;
    location.replace(theme ? `${returnUrl}${returnUrl.includes("?") ? "&" : "?"}theme=${theme}` : returnUrl);
  } catch (error) {
    say("sign-in-status", `Teams could not sign you in (${error?.message ?? error}). Ask your admin to grant ValueBot's single sign-on consent.`);
  }
}

function configure() {
  const origin = location.origin;
  const chosen = () => document.querySelector("input[name=view]:checked")?.value ?? "portfolio";
  pages.config.registerOnSaveHandler((save) => {
    const view = chosen();
    pages.config
      .setConfig({
        entityId: `valuebot-${view}`,
        contentUrl: `${origin}/tab/${view}?theme={theme}`,
        websiteUrl: `${origin}/tab/${view}`,
        suggestedDisplayName: view === "delivery" ? "ValueBot delivery" : "ValueBot portfolio",
      })
      .then(() => save.notifySuccess())
      .catch((error) => save.notifyFailure(String(error)));
  });
  pages.config.setValidityState(true);
  say("configure-status", "Select Save to add the tab.");
}

async function start() {
  document.documentElement.dataset.script = "ready";
  if (!maybeInTeams()) return;
  try {
    await withTimeout(app.initialize(), 5000);
  } catch {
    return; // not in Teams after all: the page stays as the server drew it
  }
  const context = await app.getContext();
  applyTheme(context.app.theme);
  app.registerOnThemeChangeHandler(applyTheme);
  app.notifySuccess();
  const page = document.body.dataset.page;
  if (page === "sign-in") await signIn();
  if (page === "configure") configure();
}

start();
