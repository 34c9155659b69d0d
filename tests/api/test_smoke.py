def test_register_and_fetch_profile(client, account):
    response = client.get("/api/v1/me", headers=account.headers)
    assert response.status_code == 200
    assert response.json()["email"] == account.email


def test_version_is_public_and_ping_checks_the_token(client, account):
    version = client.get("/api/v1/version")
    assert version.status_code == 200
    assert version.json()["version"].count(".") >= 2
    assert client.get("/api/v1/ping", headers=account.headers).status_code == 204
    assert client.get("/api/v1/ping").status_code == 401
