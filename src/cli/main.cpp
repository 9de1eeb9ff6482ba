#include <iostream>
int main() { std::cout << "nacre\n"; return 0; }
