/**
 * Real-browser end-to-end tests: Selenium drives the machine's headless Chromium (Debian packages
 * {@code chromium} and {@code chromium-driver}, installed by {@code ci/setup.d/45-browser.sh}) against the app
 * started by {@link dev.notejam.app.testsupport.WebTest} on real PostgreSQL and Redis.
 * <ul>
 *   <li>Run alone: {@code ./mvnw -pl notejam-app test -Dtest=BrowserJourneyTest -Dsurefire.failIfNoSpecifiedTests=false}</li>
 *   <li>Refresh the README's screenshots in {@code docs/images/}: add {@code -Dnotejam.screenshots.dir=../docs/images}
 *       (by default they go to {@code notejam-app/target/browser-screenshots/}, so a normal build leaves the
 *       committed images alone).</li>
 *   <li>Other browser locations: {@code -Dnotejam.chromium.binary=...} and {@code -Dnotejam.chromium.driver=...}.</li>
 * </ul>
 * Without the browser the test is skipped with a message; with {@code CI=true} it fails instead.
 */
package dev.notejam.app.browser;
