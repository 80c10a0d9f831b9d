// English, what the first login form shows (the rest is en-more.js): the UI's strings by key.
// Kratos's messages need no entry, their own `text` is English already.
export default {
  language: "Language",
  darkTheme: "Dark theme",
  loading: "Loading…",
  chunkFailed: "This page could not be loaded",
  chunkFailedHint: "Check your connection, then try again.",
  tryAgain: "Try again",
  signIn: "Sign in",
  createAccount: "Create an account",
  logOut: "Log out",
  forgotPassword: "Forgot your password?",
  unreachable: "The sign-in service cannot be reached right now. Check your connection and try again.",
  timeout: "The sign-in service did not answer in time. Check your connection and try again.",
  serverFault: "The sign-in service had a problem and could not finish this. Please try again.",
  supportRef: "Reference for support: {ref}",
  notAnswering: "The sign-in service is not answering",
  cannotReach: "Cannot reach the sign-in service",
  show: "Show",
};
