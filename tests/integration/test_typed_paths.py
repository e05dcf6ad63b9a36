"""A service refuses a path parameter that is not a UUID or a slug (400), or finds nothing for
it (404); never does a handler run with a dot-segment, a query or a slash in an id."""

from tests.support import auth, caller

POOL = "pool-typed"
PROBES = ["%2e%2e", "%2E%2E", "a%3Fx=1", "a%23frag", "a%2Fb", "a%20b", "a.b", "-a"]
PATHS = {
    "intake": ["/v1/pools/{}/queue", "/v1/request-types/{}", "/v1/requests/{}"],
    "routing": ["/v1/pools/{}/members", "/v1/members/{}/hours", "/v1/requests/{}/decisions", "/v1/members/{}/growth"],
    "recognition": ["/v1/pools/{}/digests", "/v1/kudos/{}"],
}


async def test_services_refuse_ids_that_are_not_uuids_or_slugs(services):
    clients = await services(*PATHS)
    everyone = caller("staff", "secretary", "lead", "admin", pools=(POOL,))
    for name, templates in PATHS.items():
        headers = auth(everyone, name)
        for template in templates:
            for probe in PROBES:
                response = await clients[name].get(template.format(probe), headers=headers)
                assert response.status_code in (400, 404), (name, template, probe, response.status_code)
