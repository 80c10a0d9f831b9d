// The English catalogue, both parts: the words the build writes into the pages themselves.
import core from "../src/locales/en.js";
import more from "../src/locales/en-more.js";

export default { ...core, ...more };
