package io.lazarus.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lazarus.common.contract.Contracts;
import io.lazarus.fleet.NodeBehavior;
import io.lazarus.system.fixture.Browser;
import io.lazarus.system.fixture.LazarusSystem;
import io.lazarus.system.fixture.ServiceApi;
import io.lazarus.testkit.process.ServiceProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;

/**
 * The dashboard in headless Chromium against the real service, broker, worker and SSH fleet: sign in with a token,
 * watch a run's grid turn green live, read a failed node's stderr, cancel a run, and the session's defences.
 */
class DashboardTest {

    private static final String TOKEN = "dashboard-token-0123456789";
    private static final String READ_ONLY_TOKEN = "dashboard-viewer-0123456789";
    private static final int SLOW_NODES = 8;

    @RegisterExtension
    static final LazarusSystem system = LazarusSystem.create()
            .fleet(fleet -> {
                IntStream.rangeClosed(1, SLOW_NODES)
                        .forEach(i -> fleet.node("dash-ok-" + i, NodeBehavior.install(Duration.ofSeconds(2), 4)));
                fleet.node("dash-apt", NodeBehavior.aptFailure());
                IntStream.rangeClosed(1, 2).forEach(i -> fleet.node("dash-held-" + i, NodeBehavior.succeed()));
                IntStream.rangeClosed(1, 3)
                        .forEach(i -> fleet.node("dash-cancel-" + i, NodeBehavior.install(Duration.ofSeconds(3), 4)));
                fleet.node("dash-flaky", NodeBehavior.flaky(1));
                fleet.node("dash-locked", NodeBehavior.flaky(1));
                fleet.node("dash-bounds", NodeBehavior.flaky(1));
            })
            .worker(Map.of("LAZARUS_WORKER_PREFETCH", "50"));

    static ServiceProcess service;
    static ServiceApi api;
    static ChromeDriver browser;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        service = system.startService(Map.of(
                "LAZARUS_SERVICE_API_TOKEN",
                TOKEN,
                "LAZARUS_SERVICE_TOKENS_0_NAME",
                "viewer",
                "LAZARUS_SERVICE_TOKENS_0_VALUE",
                READ_ONLY_TOKEN,
                "LAZARUS_SERVICE_TOKENS_0_SCOPES",
                "read"));
        base = "http://127.0.0.1:" + service.port();
        api = ServiceApi.at(base + "/api/runs", TOKEN);
        browser = Browser.start();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void signInWatchTheGridTurnGreenLiveAndReadAFailedNodesStderr() throws Exception {
        signIn();
        Cookie session = browser.manage().getCookieNamed("LAZARUS_DASHBOARD");
        assertThat(session).as("the session cookie").isNotNull();
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(session.getSameSite()).isEqualTo("Strict");
        assertThat(session.isSecure()).as("no TLS here").isFalse();
        assertThat(session.getPath()).isEqualTo("/dashboard");

        List<String> ids = IntStream.rangeClosed(1, SLOW_NODES)
                .mapToObj(i -> "dash-ok-" + i)
                .collect(java.util.stream.Collectors.toCollection(java.util.ArrayList::new));
        ids.add("dash-apt");
        String runId = create(ids, ",\"maxInFlight\":3");
        browser.get(base + "/dashboard/runs/" + runId);
        browser.executeScript("window.sameDocument = true");
        assertThat(cells()).hasSize(ids.size());
        assertThat(cells().stream().filter(c -> c.getAttribute("data-state").equals("SUCCEEDED")))
                .as("nothing finished yet: the grid has something to turn green")
                .hasSizeLessThan(SLOW_NODES);
        Browser.screenshot(browser, "run-live");

        await("the grid turns green without a reload")
                .ignoreException(StaleElementReferenceException.class)
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> cells().stream()
                                .filter(c -> c.getAttribute("data-state").equals("SUCCEEDED"))
                                .count()
                        == SLOW_NODES);
        await("the failed node and the books")
                .ignoreException(StaleElementReferenceException.class)
                .atMost(Duration.ofSeconds(20))
                .until(() -> cell("dash-apt").getAttribute("data-state").equals("FAILED")
                        && browser.findElement(By.id("run-state")).getText().equals("FINISHED")
                        && !browser.findElements(By.id("reconciliation")).isEmpty());
        assertThat(browser.executeScript("return window.sameDocument"))
                .as("no reload")
                .isEqualTo(true);
        assertThat(cell("dash-ok-1").getText()).as("a symbol, not colour only").isEqualTo("✓");
        assertThat(cell("dash-apt").getText()).isEqualTo("✗");
        assertThat(cell("dash-apt").findElement(By.tagName("a")).getAttribute("aria-label"))
                .isEqualTo("dash-apt: FAILED (COMMAND_FAILED)");
        assertThat(browser.findElement(By.id("reconciliation")).getText())
                .isEqualTo("9 dispatched = 8 succeeded + 1 failed + 0 dead-lettered + 0 quarantined + 0 ghosts"
                        + " + 0 cancelled + 0 unfinished; 0 never released: balanced");
        Browser.screenshot(browser, "run-finished");

        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("filter-state"))).selectByValue("FAILED");
        assertThat(cells().stream().filter(WebElement::isDisplayed).map(c -> c.getAttribute("data-node")))
                .containsExactly("dash-apt");

        submit(cell("dash-apt").findElement(By.tagName("a")));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Node dash-apt");
        assertThat(browser.findElement(By.cssSelector(".attempt dd.outcome")).getText())
                .isEqualTo("COMMAND_FAILED");
        assertThat(browser.findElement(By.cssSelector(".attempt .stderr")).getText())
                .contains("E: Unable to locate package tomcat9");
        assertThat(browser.findElement(By.cssSelector(".attempt .host-key")).getText())
                .isNotBlank();
        Browser.screenshot(browser, "node");
        submit(browser.findElement(By.cssSelector(".attempt a.full-log")));
        assertThat(browser.findElement(By.tagName("body")).getText())
                .as("the attempt's whole output")
                .contains("E: Unable to locate package tomcat9");

        browser.get(base + "/dashboard/runs");
        WebElement row = browser.findElement(By.cssSelector("tr[data-run='" + runId + "']"));
        assertThat(row.getText()).contains("FINISHED", "8 succeeded", "1 failed", "9/9", "api-token");
        Browser.screenshot(browser, "runs");
    }

    @Test
    void aThousandNodesFitOnOneScreenEachWithItsOwnLabel() throws Exception {
        signIn();
        String inventory = IntStream.range(0, 1000)
                .mapToObj(i -> "deploy@127.42.%d.%d:9 name=many-%04d".formatted(i / 250, i % 250 + 1, i))
                .collect(java.util.stream.Collectors.joining("\\n"));
        HttpResponse<String> created =
                api.post("", "{\"inventory\":\"" + inventory + "\",\"script\":\"true\",\"maxInFlight\":1}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String runId = Contracts.mapper().readTree(created.body()).get("runId").asString();
        api.post("/" + runId + "/cancel", "");
        api.awaitEnd(runId);

        browser.get(base + "/dashboard/runs/" + runId);

        assertThat(cells()).hasSize(1000);
        Map<?, ?> measured = (Map<?, ?>) browser.executeScript("""
                const grid = document.getElementById('grid').getBoundingClientRect();
                const page = performance.getEntriesByType('navigation')[0];
                const labelled = [...document.querySelectorAll('#grid a')].filter(a => a.getAttribute('aria-label'));
                return {height: grid.height, bytes: page.decodedBodySize, ms: page.duration, labelled: labelled.length};
                """);
        System.out.println("dashboard, a run of 1000 nodes: " + measured);
        assertThat(((Number) measured.get("height")).doubleValue())
                .as("the grid's height in pixels at 1280 wide")
                .isLessThan(700);
        assertThat(((Number) measured.get("labelled")).intValue()).isEqualTo(1000);
        Browser.screenshot(browser, "run-1000-nodes");
    }

    @Test
    void aFailedCanaryStopsReleaseAndThePageSaysWhyAndTheNodePageListsEachExecution() throws Exception {
        signIn();
        String runId = create(List.of("dash-apt", "dash-held-1", "dash-held-2"), ",\"canary\":1");
        browser.get(base + "/dashboard/runs/" + runId);

        await("the canary fails and release stops, shown live or on load")
                .ignoreException(StaleElementReferenceException.class)
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptions()
                .until(() -> !browser.findElements(By.id("flow-stopped")).isEmpty()
                        && browser.findElement(By.id("run-state")).getText().equals("FINISHED"));
        browser.navigate().refresh(); // the summary is swapped in whole while live: read it still
        String why = "canary failed: 1 of 1 canary node(s) did not succeed";
        assertThat(browser.findElement(By.id("flow-stopped")).getText()).isEqualTo(why);
        assertThat(browser.findElement(By.id("flow-canary")).getText())
                .as("a symbol and words, not colour only")
                .isEqualTo("✗ 1 node: failed, 1 of 1 did not succeed");
        assertThat(browser.findElement(By.id("flow-released")).getText())
                .isEqualTo("1 of 3, 2 never released (cancelled)");
        assertThat(browser.findElement(By.id("flow-failures")).getText()).isEqualTo("1 so far, no budget");
        assertThat(cell("dash-held-1").getAttribute("data-state")).isEqualTo("CANCELLED");
        assertThat(cell("dash-held-2").getAttribute("data-state")).isEqualTo("CANCELLED");
        assertThat(api.json("/" + runId).get("releaseStopped").asString())
                .as("the API's view of the run")
                .isEqualTo(why);
        Browser.screenshot(browser, "run-canary-failed");

        submit(cell("dash-apt").findElement(By.tagName("a")));
        String worker = browser.findElement(
                        By.xpath("//li[@class='attempt']//dt[text()='Worker']/following-sibling::dd[1]"))
                .getText();
        assertThat(worker).isNotBlank();
        List<WebElement> executions = browser.findElements(By.cssSelector(".attempt .execution"));
        assertThat(executions).hasSize(1);
        assertThat(executions.getFirst().findElement(By.className("worker")).getText())
                .isEqualTo(worker);
        assertThat(executions.getFirst().findElement(By.className("outcome")).getText())
                .isEqualTo("COMMAND_FAILED");
        assertThat(browser.findElements(By.cssSelector(".attempt .step")).stream()
                        .map(step -> step.findElement(By.tagName("td")).getText()))
                .as("the attempt's steps, by phase")
                .contains("connect", "command");
        Browser.screenshot(browser, "node-executions");

        String windowed = create(List.of("dash-ok-1", "dash-ok-2", "dash-ok-3"), ",\"maxInFlight\":2");
        browser.get(base + "/dashboard/runs/" + windowed);
        await("the window's max, while it runs")
                .ignoreException(StaleElementReferenceException.class)
                .atMost(Duration.ofSeconds(5))
                .ignoreExceptions()
                .until(() -> browser.findElement(By.id("flow-in-flight"))
                                .getText()
                                .endsWith(" now, at most 2")
                        && browser.findElement(By.id("flow-canary")).getText().equals("none"));
        await("the window's run ends with every node released")
                .ignoreException(StaleElementReferenceException.class)
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptions()
                .until(() -> browser.findElement(By.id("run-state")).getText().equals("FINISHED"));
        browser.navigate().refresh();
        assertThat(browser.findElement(By.id("flow-released")).getText()).isEqualTo("3 of 3");
        assertThat(browser.findElement(By.id("flow-in-flight")).getText()).isEqualTo("0 now, at most 2");
        assertThat(browser.findElements(By.id("flow-stopped"))).isEmpty();
    }

    @Test
    void aRunIsCancelledThroughThePage() throws Exception {
        signIn();
        String runId = create(List.of("dash-cancel-1", "dash-cancel-2", "dash-cancel-3"), ",\"maxInFlight\":1");
        browser.get(base + "/dashboard/runs/" + runId);

        submit(browser.findElement(By.id("cancel")));

        assertThat(browser.findElement(By.cssSelector(".notice")).getText()).startsWith("Cancel requested");
        JsonNode run = api.awaitEnd(runId);
        assertThat(run.get("state").asString()).isEqualTo("CANCELLED");
        assertThat(run.get("states").get("CANCELLED").asInt()).isGreaterThanOrEqualTo(1);
        await("the page shows the end")
                .ignoreException(StaleElementReferenceException.class)
                .atMost(Duration.ofSeconds(20))
                .until(() -> browser.findElement(By.id("run-state")).getText().equals("CANCELLED"));
        Browser.screenshot(browser, "run-cancelled");
    }

    @Test
    void aDeadLetteredNodeIsPreviewedQuarantinedAndReleasedFromThePage() throws Exception {
        signIn();
        String runId = create(List.of("dash-flaky"), "");
        assertThat(api.awaitEnd(runId).get("states").get("DEAD_LETTERED").asInt())
                .as("the first attempt finds dpkg locked and is dead-lettered")
                .isEqualTo(1);
        browser.get(base + "/dashboard/runs");
        submit(browser.findElement(By.id("nav-parked")));
        browser.findElement(By.id("filter-run")).sendKeys(runId);
        submit(browser.findElement(By.id("preview")));
        await("the candidate reaches lazarus.resurrection")
                .ignoreException(StaleElementReferenceException.class)
                .atMost(Duration.ofSeconds(20))
                .until(() -> {
                    browser.navigate().refresh();
                    return !browser.findElements(candidate(runId)).isEmpty();
                });
        assertThat(browser.findElement(By.cssSelector(".parked-run[data-run='" + runId + "'] h3"))
                        .getText())
                .isEqualTo("Run " + runId + ": 1 rejected");
        assertThat(verdict(candidate(runId)))
                .as("the gatekeeper's dry run, under the service's limit")
                .isEqualTo("would come back as attempt 2: resurrection 1 of 3");
        Browser.screenshot(browser, "parked-candidate");

        WebElement limit = browser.findElement(By.id("filter-limit"));
        limit.clear();
        limit.sendKeys("0");
        submit(browser.findElement(By.id("preview")));
        assertThat(verdict(candidate(runId))).isEqualTo("would be quarantined: resurrection limit reached: 0 of 0");
        assertThat(api.json("/" + runId).get("states").get("DEAD_LETTERED").asInt())
                .as("a preview changes nothing")
                .isEqualTo(1);

        submit(browser.findElement(candidate(runId)).findElement(By.cssSelector("button.resurrect")));
        assertThat(browser.findElement(By.id("done")).getText())
                .contains(runId + " dash-flaky attempt 1 (rejected): quarantined: resurrection limit reached: 0 of 0");
        assertThat(browser.findElements(candidate(runId))).isEmpty();
        By parked = By.cssSelector("#quarantine tr[data-run='" + runId + "'][data-node='dash-flaky']");
        assertThat(verdict(parked)).isEqualTo("would come back as a new attempt, its resurrections counted from zero");
        assertThat(api.json("/" + runId).get("states").get("QUARANTINED").asInt())
                .isEqualTo(1);
        Browser.screenshot(browser, "parked-quarantine");

        submit(browser.findElement(parked).findElement(By.cssSelector("button.release")));
        assertThat(browser.findElement(By.id("done")).getText())
                .contains(runId + " dash-flaky attempt 1: released as ")
                .contains("1 released, 0 stayed");
        assertThat(browser.findElements(parked)).isEmpty();
        await("the released node's second attempt finds dpkg free and succeeds")
                .ignoreException(StaleElementReferenceException.class)
                .atMost(Duration.ofSeconds(60))
                .until(() ->
                        api.json("/" + runId).get("states").path("SUCCEEDED").asInt() == 1);
        browser.get(base + "/dashboard/runs/" + runId + "/nodes/dash-flaky");
        assertThat(browser.findElement(By.id("node-state")).getText()).isEqualTo("SUCCEEDED");
        assertThat(browser.findElements(By.cssSelector(".attempt dd.outcome")).stream()
                        .map(WebElement::getText))
                .containsExactly("COMMAND_FAILED", "SUCCEEDED");
    }

    @Test
    void aReadOnlyTokenSeesTheCandidatesButCannotResurrect() throws Exception {
        String runId = create(List.of("dash-locked"), "");
        api.awaitEnd(runId);
        signIn(READ_ONLY_TOKEN);
        await("the candidate reaches lazarus.resurrection")
                .ignoreException(StaleElementReferenceException.class)
                .atMost(Duration.ofSeconds(20))
                .until(() -> {
                    browser.get(base + "/dashboard/parked?run=" + runId);
                    return !browser.findElements(candidate(runId)).isEmpty();
                });
        assertThat(browser.findElements(By.cssSelector("button.resurrect, button.resurrect-run, button.release")))
                .as("no button for a token without 'operate'")
                .isEmpty();
        String cookie = "LAZARUS_DASHBOARD="
                + browser.manage().getCookieNamed("LAZARUS_DASHBOARD").getValue();
        String csrf =
                browser.findElement(By.cssSelector("header input[name=_csrf]")).getAttribute("value");

        HttpResponse<String> forced = HttpClient.newHttpClient()
                .send(
                        form(URI.create(base + "/dashboard/parked/resurrect"), "_csrf=" + csrf + "&run=" + runId)
                                .header("Cookie", cookie)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(forced.statusCode()).isEqualTo(403);
        assertThat(forced.body())
                .contains("token &#39;viewer&#39; lacks the scope &#39;operate&#39; that resurrecting needs");
        browser.navigate().refresh();
        assertThat(verdict(candidate(runId))).startsWith("would come back as attempt 2");
        assertThat(api.json("/" + runId).get("states").get("DEAD_LETTERED").asInt())
                .as("still dead-lettered")
                .isEqualTo(1);
    }

    @Test
    void theParkedPageRefusesALimitOrAnIdOutOfBoundsAndChangesNothing() throws Exception {
        String runId = create(List.of("dash-bounds"), "");
        api.awaitEnd(runId);
        signIn();
        await("the candidate reaches lazarus.resurrection")
                .ignoreException(StaleElementReferenceException.class)
                .atMost(Duration.ofSeconds(20))
                .until(() -> {
                    browser.get(base + "/dashboard/parked?run=" + runId);
                    return !browser.findElements(candidate(runId)).isEmpty();
                });
        String cookie = "LAZARUS_DASHBOARD="
                + browser.manage().getCookieNamed("LAZARUS_DASHBOARD").getValue();
        String csrf =
                browser.findElement(By.cssSelector("header input[name=_csrf]")).getAttribute("value");
        HttpClient http = HttpClient.newHttpClient();
        URI resurrect = URI.create(base + "/dashboard/parked/resurrect");

        HttpResponse<String> negative = http.send(
                HttpRequest.newBuilder(URI.create(base + "/dashboard/parked?limit=-1"))
                        .header("Cookie", cookie)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> huge = http.send(
                form(resurrect, "_csrf=" + csrf + "&run=" + runId + "&limit=5000")
                        .header("Cookie", cookie)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> longId = http.send(
                form(resurrect, "_csrf=" + csrf + "&run=" + "r".repeat(200))
                        .header("Cookie", cookie)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> notANumber = http.send(
                form(resurrect, "_csrf=" + csrf + "&run=" + runId + "&limit=three")
                        .header("Cookie", cookie)
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(negative.statusCode()).isEqualTo(400);
        assertThat(negative.body()).contains("the resurrection limit must be 0 to 1000, was -1");
        assertThat(huge.statusCode()).isEqualTo(400);
        assertThat(huge.body()).contains("was 5000");
        assertThat(longId.statusCode()).isEqualTo(400);
        assertThat(longId.body()).contains("an id of 200 characters");
        assertThat(notANumber.statusCode()).isEqualTo(400);
        browser.navigate().refresh();
        assertThat(verdict(candidate(runId)))
                .as("still a candidate, judged under the default limit")
                .startsWith("would come back as attempt 2");
        assertThat(api.json("/" + runId).get("states").get("DEAD_LETTERED").asInt())
                .isEqualTo(1);
    }

    @Test
    void aPostWithoutTheSessionsCsrfTokenIsRefused() throws Exception {
        signIn();
        String runId = create(List.of("dash-cancel-1", "dash-cancel-2"), ",\"maxInFlight\":1");
        String cookie = "LAZARUS_DASHBOARD="
                + browser.manage().getCookieNamed("LAZARUS_DASHBOARD").getValue();
        HttpClient http = HttpClient.newHttpClient();
        URI cancel = URI.create(base + "/dashboard/runs/" + runId + "/cancel");

        HttpResponse<String> without =
                http.send(form(cancel, "").header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> wrong = http.send(
                form(cancel, "_csrf=forged").header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> signedOut =
                http.send(form(cancel, "_csrf=forged").build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> page = http.send(
                HttpRequest.newBuilder(URI.create(base + "/dashboard/runs"))
                        .header("Cookie", cookie)
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(without.statusCode()).isEqualTo(403);
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(signedOut.statusCode()).isEqualTo(401);
        assertThat(page.statusCode()).as("the same cookie reads").isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy"))
                .hasValueSatisfying(csp -> assertThat(csp).contains("default-src 'self'"));
        assertThat(api.awaitEnd(runId).get("state").asString())
                .as("not cancelled")
                .isNotEqualTo("CANCELLED");
    }

    @Test
    void aWrongTokenDoesNotSignIn() throws Exception {
        browser.manage().deleteAllCookies();
        browser.get(base + "/dashboard/runs");
        assertThat(browser.getCurrentUrl()).endsWith("/dashboard/sign-in");

        browser.findElement(By.id("token")).sendKeys("not-a-token-of-this-service");
        submit(browser.findElement(By.cssSelector("form button[type=submit]")));

        assertThat(browser.findElement(By.cssSelector("[role=alert]")).getText())
                .contains("not one of this service's tokens");
        browser.get(base + "/dashboard/runs");
        assertThat(browser.getCurrentUrl()).endsWith("/dashboard/sign-in");
        Browser.screenshot(browser, "sign-in");
    }

    private static void signIn() {
        signIn(TOKEN);
    }

    private static void signIn(String token) {
        browser.manage().deleteAllCookies();
        browser.get(base + "/dashboard/sign-in");
        browser.findElement(By.id("token")).sendKeys(token);
        submit(browser.findElement(By.cssSelector("form button[type=submit]")));
        assertThat(browser.getCurrentUrl()).endsWith("/dashboard/runs");
    }

    private static String create(List<String> nodeIds, String options) throws Exception {
        String inventory = String.join(
                "\\n",
                nodeIds.stream()
                        .map(id -> system.fleet().node(id).inventoryLine(LazarusSystem.USER))
                        .toList());
        HttpResponse<String> response = api.post(
                "", "{\"inventory\":\"" + inventory + "\",\"script\":\"apt-get install -y tomcat9\"" + options + "}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return Contracts.mapper().readTree(response.body()).get("runId").asString();
    }

    private static HttpRequest.Builder form(URI uri, String body) {
        return HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    /** Clicks a button or link that loads a new page, and waits until the old one is gone. */
    private static void submit(WebElement button) {
        WebElement old = browser.findElement(By.tagName("html"));
        button.click();
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(driver -> gone(old));
        new WebDriverWait(browser, Duration.ofSeconds(20))
                .until(driver -> "complete".equals(browser.executeScript("return document.readyState")));
    }

    /** Chromium answers for an element of a page being replaced with a stale reference or with an inspector error. */
    private static boolean gone(WebElement element) {
        try {
            element.isEnabled();
            return false;
        } catch (org.openqa.selenium.WebDriverException replaced) {
            return true;
        }
    }

    private static By candidate(String runId) {
        return By.cssSelector(".parked-run[data-run='" + runId + "'] tr[data-node]");
    }

    private static String verdict(By row) {
        return browser.findElement(row).findElement(By.cssSelector(".verdict")).getText();
    }

    private static List<WebElement> cells() {
        return browser.findElements(By.cssSelector("#grid li[data-node]"));
    }

    private static WebElement cell(String nodeId) {
        return browser.findElement(By.cssSelector("#grid li[data-node='" + nodeId + "']"));
    }
}
