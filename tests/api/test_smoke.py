def test_register_and_fetch_profile(client, account):
    response = client.get("/api/v1/me", headers=account.headers)
    assert response.status_code == 200
    assert response.json()["email"] == account.email
